import { uniqueName } from '@convene/testing';
import { expect } from 'vitest';
import { expectProblem, signUp, systemTest } from '../src/index.ts';
import { createEvent, linkTokenOf, until } from './invitations-support.ts';

const it = systemTest({ services: ['auth', 'events', 'invitations', 'notifier'] });

/**
 * Resending, as a client of the legacy /api/invites API does it: with the token the invitee's email
 * carries, through the gateway, the notifier writing the real emails (decision 0044). The handle
 * the client holds stays valid for every resend; `{"rotate": true}` is the one way to replace it.
 */
it('resends three times with the emailed token (the same link each time), then 429; the last email’s link accepts', async ({
  stack,
}) => {
  const host = await signUp(stack.api);
  const event = await createEvent(stack.api, host.token);
  const invitee = await signUp(stack.api);
  const address = invitee.person.email.toLowerCase();
  const invitations = () =>
    stack.smtp.messages.filter((m) => m.to.includes(address) && /invited you to/.test(m.subject));

  const sent = await stack.api.post(
    '/api/invites',
    { tree_id: event.id, email: address, role: 'viewer' },
    { cookie: host.token },
  );
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const [first] = await until(
    async () => invitations(),
    (mails) => mails.length === 1,
    30_000,
  );
  const token = linkTokenOf(first!);

  for (let n = 1; n <= 3; n++) {
    const resent = await stack.api.post(`/api/invites/${token}/resend`, {}, { cookie: host.token });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body).toMatchObject({ id: sent.body.id, resend_count: n, status: 'pending' });
    const mails = await until(
      async () => invitations(),
      (list) => list.length === n + 1,
      30_000,
    );
    expect(mails.at(-1)!.subject).toMatch(/^Reminder: /);
    expect(linkTokenOf(mails.at(-1)!)).toBe(token);
  }
  expectProblem(await stack.api.post(`/api/invites/${token}/resend`, {}, { cookie: host.token }), 429, {
    code: 'RESEND_LIMIT',
  });
  expect(invitations()).toHaveLength(4);

  const last = linkTokenOf(invitations().at(-1)!);
  expect((await stack.api.get(`/api/invites/${last}`)).body).toMatchObject({ status: 'pending', can_accept: true });
  const accepted = await stack.api.post(`/api/invites/${last}/accept`, {}, { cookie: invitee.token });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  expect(accepted.body).toMatchObject({ id: sent.body.id, status: 'accepted', resend_count: 3 });
});

it('rotates the link on {"rotate": true}: the old link is 404 at once, the newly emailed one works', async ({
  stack,
}) => {
  const host = await signUp(stack.api);
  const event = await createEvent(stack.api, host.token);
  const guest = `${uniqueName('leaked')}@example.com`.toLowerCase();
  const invitations = () => stack.smtp.messages.filter((m) => m.to.includes(guest) && /invited you to/.test(m.subject));

  const sent = await stack.api.post(`/api/events/${event.id}/invitations`, { emails: [guest] }, { token: host.token });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const id = sent.body.created[0].id as string;
  const [first] = await until(
    async () => invitations(),
    (mails) => mails.length === 1,
    30_000,
  );
  const old = linkTokenOf(first!);

  const rotated = await stack.api.post(`/api/invites/${old}/resend`, { rotate: true }, { cookie: host.token });
  expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
  expect(rotated.body).toMatchObject({ id, resend_count: 1 });
  expectProblem(await stack.api.get(`/api/invites/${old}`), 404, { code: 'INVITATION_NOT_FOUND' });
  expectProblem(await stack.api.post(`/api/invites/${old}/resend`, {}, { cookie: host.token }), 404);
  const mails = await until(
    async () => invitations(),
    (list) => list.length === 2,
    30_000,
  );
  const fresh = linkTokenOf(mails[1]!);
  expect(fresh).not.toBe(old);

  // Resending again without asking to rotate (by id, no body at all) keeps the new link.
  const again = await stack.api.post(`/api/events/${event.id}/invitations/${id}/resend`, undefined, {
    token: host.token,
  });
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect(again.body.resend_count).toBe(2);
  const third = await until(
    async () => invitations(),
    (list) => list.length === 3,
    30_000,
  );
  expect(linkTokenOf(third[2]!)).toBe(fresh);

  expect((await stack.api.get(`/api/attendee-invitations/verify/${fresh}`)).body).toMatchObject({ can_accept: true });
  const accepted = await stack.api.post('/api/attendee-invitations/accept', { token: fresh, full_name: 'Lee Leaked' });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  expect(accepted.body).toMatchObject({ id, status: 'accepted' });
});
