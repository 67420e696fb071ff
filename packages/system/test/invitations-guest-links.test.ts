import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, until } from './invitations-support.ts';

/** The attendee-invitation API: the organiser sends to many emails; guests verify, accept (name, phone) or reject by token; stats. */
describe('invitations, the attendee-invitation API (public token links for guests)', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends to many emails, verifies, accepts as a guest, rejects, and counts it all in stats', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, { max_participants: 5 });
    const tag = Date.now().toString(36);
    const [ann, bob, cy] = ['ann', 'bob', 'cy'].map((n) => `${n}.${tag}@example.com`) as [string, string, string];

    // Sent right after the event was created: the projection may not have heard of it yet (internal read).
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations/`,
      { emails: [ann, bob, cy.toUpperCase(), 'not-an-email', ann], message: "You're invited!", is_vip: false },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.created.map((i: { email: string }) => i.email).sort()).toEqual([ann, bob, cy].sort());
    expect(sent.body.skipped).toEqual([
      { email: 'not-an-email', user_id: null, reason: 'invalid_email', detail: 'Enter a valid email address.' },
      {
        email: ann,
        user_id: null,
        reason: 'already_invited',
        detail: 'Already invited and the invitation is pending.',
      },
    ]);
    for (const inv of sent.body.created) {
      expect(inv).toMatchObject({
        event: event.id,
        status: 'pending',
        reservation: null,
        role: 'attendee',
        resend_count: 0,
      });
      expect(inv).not.toHaveProperty('token');
    }
    const idOf = (email: string) => sent.body.created.find((i: { email: string }) => i.email === email).id as string;

    const annToken = await tokenFor(stack, idOf(ann));
    expect(annToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits

    const verified = await stack.api.get(`/api/attendee-invitations/verify/${annToken}/`);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({
      token: annToken,
      event_name: event.title,
      event_description: event.description,
      invited_by: event.host_name,
      message: "You're invited!",
      can_accept: true,
      is_expired: false,
    });
    expect(Date.parse(verified.body.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const accepted = await stack.api.post('/api/attendee-invitations/accept/', {
      token: annToken,
      full_name: 'Ann Guest',
      phone: '+1234567890',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', full_name: 'Ann Guest', reservation: 'pending' });

    // The seat is reserved by events, asynchronously, and the invitation shows the answer.
    const confirmed = await stack.probe.waitFor('registration.confirmed', (e) => e.data.invitation_id === idOf(ann));
    expect(confirmed.data.attendee.email).toBe(ann);
    const shown = await until(
      () => stack.api.get(`/api/events/${event.id}/invitations/${idOf(ann)}`, { token: host.token }),
      (r) => r.body.reservation === 'confirmed',
    );
    expect(shown.body.status).toBe('accepted');

    const again = await stack.api.post('/api/attendee-invitations/accept', { token: annToken, full_name: 'Ann' });
    expectProblem(again, 400, { code: 'ALREADY_ANSWERED' });
    expect(again.body.detail).toBe('This invitation has already been accepted.');

    const bobToken = await tokenFor(stack, idOf(bob));
    const rejected = await stack.api.post('/api/attendee-invitations/reject/', { token: bobToken });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.status).toBe('declined');
    const afterReject = await stack.api.get(`/api/attendee-invitations/verify/${bobToken}`);
    expect(afterReject.body).toMatchObject({ can_accept: false, is_expired: false, status: 'declined' });
    expectProblem(await stack.api.post('/api/attendee-invitations/accept', { token: bobToken }), 400, {
      code: 'ALREADY_ANSWERED',
    });

    const stats = await stack.api.get(`/api/events/${event.id}/invitations/stats/`, { token: host.token });
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      total_sent: 3,
      pending: 1,
      accepted: 1,
      rejected: 1,
      expired: 0,
      cancelled: 0,
      acceptance_rate: 33.3,
    });

    // Only the host and co-hosts see an event's invitations.
    const stranger = await signUp(stack.api);
    expectProblem(await stack.api.get(`/api/events/${event.id}/invitations/stats`, { token: stranger.token }), 403);
    expectProblem(await stack.api.get('/api/events/no-such-event/invitations', { token: host.token }), 404);
    expectProblem(await stack.api.get(`/api/events/${event.id}/invitations`), 401);

    const listed = await stack.api.get(`/api/events/${event.id}/invitations?status=pending`, { token: host.token });
    expect(listed.body.count).toBe(1);
    expect(listed.body.results[0].email).toBe(cy);
  });
});
