import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, newPerson, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, until } from './invitations-support.ts';

/** The invitee-list API: the host invites a registered user; they see it in their list and answer with PUT. */
describe('invitations, the invitee-list API (the invitee’s own list)', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('invites a registered user, who finds it in their list, accepts with PUT and appears among participants', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const guest = await signUp(stack.api);

    const sent = await stack.api.post(`/api/events/${event.id}/invite/`, { invitee: guest.id }, { token: host.token });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ invitee: guest.id, email: guest.person.email.toLowerCase(), status: 'pending' });

    const mine = await stack.api.get('/api/invitations/', { token: guest.token });
    expect(mine.status).toBe(200);
    expect(mine.body.count).toBe(1);
    expect(mine.body.results[0]).toMatchObject({ id: sent.body.id, event: event.id, status: 'pending' });
    expect((await stack.api.get('/api/invitations', { token: host.token })).body.count).toBe(0);

    const stranger = await signUp(stack.api);
    expectProblem(
      await stack.api.put(`/api/invitations/${sent.body.id}`, { status: 'accepted' }, { token: stranger.token }),
      404,
    );

    const answered = await stack.api.put(
      `/api/invitations/${sent.body.id}/`,
      { status: 'ACCEPTED' },
      { token: guest.token },
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).toBe('accepted');

    const participants = await until(
      () => stack.api.get(`/api/events/${event.id}/participants`, { token: host.token }),
      // The count and the page are two reads: wait until both have seen the seat.
      (r) => r.body.count === 1 && r.body.results.length === 1,
    );
    expect(participants.body.results.map((p: { user: string }) => p.user)).toEqual([guest.id]);
    expectProblem(
      await stack.api.put(`/api/invitations/${sent.body.id}`, { status: 'declined' }, { token: guest.token }),
      400,
      {
        code: 'ALREADY_ANSWERED',
      },
    );

    // Inviting them again: they already take part.
    const again = await stack.api.post(`/api/events/${event.id}/invite`, { invitee: guest.id }, { token: host.token });
    expectProblem(again, 400, { code: 'ALREADY_PARTICIPANT' });
  });

  it('lists invitations sent to an email before its owner signed up, and takes `rejected` for declined', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const person = newPerson();
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [person.email] },
      { token: host.token },
    );
    expect(sent.status).toBe(201);

    const later = await signUp(stack.api, {
      username: person.username,
      email: person.email,
      password: person.password,
    });
    const mine = await stack.api.get('/api/invitations', { token: later.token });
    expect(mine.body.results.map((i: { id: string }) => i.id)).toEqual([sent.body.created[0].id]);

    expectProblem(
      await stack.api.put(`/api/invitations/${sent.body.created[0].id}`, { status: 'maybe' }, { token: later.token }),
      400,
      {
        errors: { status: ['"maybe" is not a valid choice (accepted, declined).'] },
      },
    );
    const declined = await stack.api.put(
      `/api/invitations/${sent.body.created[0].id}`,
      { status: 'Rejected' },
      { token: later.token },
    );
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    await stack.probe.waitFor('invitation.declined', (e) => e.data.invitation_id === sent.body.created[0].id);
  });
});
