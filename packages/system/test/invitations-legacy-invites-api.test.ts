import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, until } from './invitations-support.ts';

/**
 * The legacy /api/invites API (a compatibility alias set, docs/api.md): cookie-authenticated
 * custodians invite by `tree_id` with roles; invitees accept signed in.
 */
describe('invitations, the legacy /api/invites API (signed-in acceptance, roles, resend, cancel)', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends with a role, shows the invite without auth, accepts signed in with the matching email only', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const invitee = await signUp(stack.api);
    const other = await signUp(stack.api);

    const sent = await stack.api.post(
      '/api/invites',
      { tree_id: event.id, email: invitee.person.email.toUpperCase(), role: 'viewer' },
      { cookie: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ event: event.id, email: invitee.person.email.toLowerCase(), role: 'attendee' });

    // A second pending invitation for the same email and event: 409, as the legacy API answers.
    const duplicate = await stack.api.post(
      '/api/invites',
      { tree_id: event.id, email: invitee.person.email, role: 'viewer' },
      { cookie: host.token },
    );
    expectProblem(duplicate, 409, { code: 'ALREADY_INVITED' });

    const token = await tokenFor(stack, sent.body.id);
    const viewed = await stack.api.get(`/api/invites/${token}`);
    expect(viewed.status).toBe(200);
    expect(viewed.body).toMatchObject({
      event_name: event.title,
      can_accept: true,
      is_expired: false,
      role: 'attendee',
    });

    expectProblem(await stack.api.post(`/api/invites/${token}/accept`, {}), 401);
    const wrong = await stack.api.post(`/api/invites/${token}/accept`, {}, { cookie: other.token });
    expectProblem(wrong, 400, { code: 'EMAIL_MISMATCH' });
    expect((await stack.api.get(`/api/invites/${token}`)).body.status).toBe('pending'); // nothing changed

    const accepted = await stack.api.post(`/api/invites/${token}/accept/`, {}, { cookie: invitee.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', invitee: invitee.id });
    await stack.probe.waitFor('registration.confirmed', (e) => e.data.invitation_id === sent.body.id);
    const participants = await until(
      () => stack.api.get(`/api/events/${event.id}/participants`, { token: host.token }),
      // The count and the page are two reads: wait until both have seen the seat.
      (r) => r.body.count === 1 && r.body.results.length === 1,
    );
    expect(participants.body.results.map((p: { user: string }) => p.user)).toEqual([invitee.id]);

    const listed = await stack.api.get(`/api/trees/${event.id}/invites`, { cookie: host.token });
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(1);
    expectProblem(await stack.api.get(`/api/trees/${event.id}/invites`, { cookie: other.token }), 403);
  });

  it('makes a custodian invitee a co-host, and the invitation shows it happened', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const custodian = await signUp(stack.api);
    const sent = await stack.api.post(
      '/api/invites',
      { tree_id: event.id, email: custodian.person.email, role: 'custodian' },
      { cookie: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.role).toBe('cohost');
    const token = await tokenFor(stack, sent.body.id);
    expect((await stack.api.post(`/api/invites/${token}/accept`, {}, { cookie: custodian.token })).status).toBe(200);

    const shown = await until(
      () => stack.api.get(`/api/events/${event.id}/invitations/${sent.body.id}`, { token: host.token }),
      (r) => r.body.reservation === 'confirmed',
    );
    expect(shown.body.status).toBe('accepted');
    const read = await stack.api.get(`/api/events/${event.id}`, { token: host.token });
    expect(read.body.cohosts.map((c: { id: string }) => c.id)).toEqual([custodian.id]);
    // Now a co-host, they manage the event's invitations too (the projection heard event.updated).
    const asCohost = await stack.api.get(`/api/events/${event.id}/invitations`, { token: custodian.token });
    expect(asCohost.status, JSON.stringify(asCohost.body)).toBe(200);
  });

  it('resends three times keeping the link (decision 0044), then 429; cancel kills the link', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const email = `resend.${Date.now().toString(36)}@example.com`;
    const sent = await stack.api.post(
      '/api/invites',
      { tree_id: event.id, email, role: 'viewer' },
      { cookie: host.token },
    );
    expect(sent.status).toBe(201);
    const token = await tokenFor(stack, sent.body.id);

    for (let n = 1; n <= 3; n++) {
      const resent = await stack.api.post(`/api/invites/${sent.body.id}/resend`, {}, { cookie: host.token });
      expect(resent.status, JSON.stringify(resent.body)).toBe(200);
      expect(resent.body.resend_count).toBe(n);
      expect(await tokenFor(stack, sent.body.id, 'resent', n)).toBe(token); // the same link again
      expect((await stack.api.get(`/api/invites/${token}`)).body.can_accept).toBe(true);
    }
    const fourth = await stack.api.post(`/api/invites/${sent.body.id}/resend`, {}, { cookie: host.token });
    expectProblem(fourth, 429, { code: 'RESEND_LIMIT' });

    const stranger = await signUp(stack.api);
    expectProblem(await stack.api.delete(`/api/invites/${sent.body.id}`, { cookie: stranger.token }), 403);
    const cancelled = await stack.api.delete(`/api/invites/${sent.body.id}`, { cookie: host.token });
    expect(cancelled.status).toBe(204);
    await stack.probe.waitFor('invitation.cancelled', (e) => e.data.invitation_id === sent.body.id);
    const view = await stack.api.get(`/api/invites/${token}`);
    expect(view.body).toMatchObject({ status: 'cancelled', can_accept: false });
    expectProblem(await stack.api.post('/api/attendee-invitations/accept', { token }), 400, {
      code: 'INVITATION_CANCELLED',
    });
    expectProblem(await stack.api.delete(`/api/invites/${sent.body.id}`, { cookie: host.token }), 400, {
      code: 'NOT_PENDING',
    });
  });

  it('a one-invitee alias naming an email and a user answers with the invitation made, or the first refusal — never a 500', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const bad = { email: 'not-an-address', user_ids: ['no-such-user'] };
    for (const [path, body] of [
      [`/api/events/${event.id}/invite`, bad],
      ['/api/invites', { ...bad, tree_id: event.id }],
    ] as const) {
      const refused = await stack.api.post(path, body, { token: host.token });
      expectProblem(refused, 400, { code: 'VALIDATION_FAILED' });
    }
    const invitee = await signUp(stack.api);
    const made = await stack.api.post(
      `/api/events/${event.id}/invite`,
      { email: 'not-an-address', user_ids: [invitee.id] },
      { token: host.token },
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ event: event.id, email: invitee.person.email.toLowerCase(), status: 'pending' });
  });
});
