import { markerId, PROCESSED_COLLECTION } from '@convene/bus';
import type { InvitationsService } from '@convene/invitations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, until } from './invitations-support.ts';

/** Seats for accepted invitations are reserved by events, never over capacity unless the invitation bypasses it. */
describe('invitations and capacity', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const send = async (hostToken: string, eventId: string, emails: string[], extra: Record<string, unknown> = {}) => {
    const sent = await stack.api.post(`/api/events/${eventId}/invitations`, { emails, ...extra }, { token: hostToken });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.created).toHaveLength(emails.length);
    return sent.body.created as Array<{ id: string; email: string }>;
  };

  it('confirms a VIP/bypass invitation for a full event, and waitlists a normal one', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, { max_participants: 1 });
    const filler = await signUp(stack.api);
    expect((await stack.api.post(`/api/events/${event.id}/register`, {}, { token: filler.token })).status).toBe(201);

    const tag = Date.now().toString(36);
    const [vip] = await send(host.token, event.id, [`vip.${tag}@example.com`], { is_vip: true, bypass_capacity: true });
    const [normal] = await send(host.token, event.id, [`normal.${tag}@example.com`]);
    for (const inv of [vip!, normal!]) {
      const token = await tokenFor(stack, inv.id);
      expect((await stack.api.post('/api/attendee-invitations/accept', { token, full_name: inv.email })).status).toBe(
        200,
      );
    }
    const read = (id: string) => stack.api.get(`/api/events/${event.id}/invitations/${id}`, { token: host.token });
    expect(
      (
        await until(
          () => read(vip!.id),
          (r) => r.body.reservation !== 'pending',
        )
      ).body.reservation,
    ).toBe('confirmed');
    expect(
      (
        await until(
          () => read(normal!.id),
          (r) => r.body.reservation !== 'pending',
        )
      ).body.reservation,
    ).toBe('waitlisted');
    const confirmed = await stack.probe.waitFor('registration.confirmed', (e) => e.data.invitation_id === vip!.id);
    expect(confirmed.data.bypassed_capacity).toBe(true);
  });

  it('200 concurrent accepts for 20 seats: exactly 20 confirmed, 180 waitlisted, each invitation showing its outcome', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, { max_participants: 20 });
    const tag = Date.now().toString(36);
    const emails = Array.from({ length: 200 }, (_, i) => `crowd${i}.${tag}@example.com`);
    const created = await send(host.token, event.id, emails);
    const tokens = await Promise.all(created.map((inv) => tokenFor(stack, inv.id)));

    const answers = await Promise.all(
      tokens.map((token, i) => stack.api.post('/api/attendee-invitations/accept', { token, full_name: `Guest ${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));

    const all = async () => {
      const pages = await Promise.all(
        [1, 2].map((page) =>
          stack.api.get(`/api/events/${event.id}/invitations?page=${page}&page_size=100`, { token: host.token }),
        ),
      );
      return pages.flatMap((p) => p.body.results as Array<{ reservation: string }>);
    };
    const settled = await until(
      all,
      (list) => list.length === 200 && list.every((i) => i.reservation !== 'pending'),
      150_000,
    );
    const count = (what: string) => settled.filter((i) => i.reservation === what).length;
    expect(count('confirmed')).toBe(20);
    expect(count('waitlisted')).toBe(180);

    const seen = await stack.api.get(`/api/events/${event.id}`, { token: host.token });
    expect(seen.body.attendees_count).toBe(20);
    expect(seen.body.waitlist_count).toBe(180);
  }, 240_000);

  it('cancels pending invitations when the event is deleted', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const tag = Date.now().toString(36);
    const created = await send(host.token, event.id, [`a.${tag}@example.com`, `b.${tag}@example.com`]);
    const token = await tokenFor(stack, created[0]!.id);
    expect((await stack.api.post('/api/attendee-invitations/accept', { token })).status).toBe(200);

    expect((await stack.api.delete(`/api/events/${event.id}`, { token: host.token })).status).toBe(204);
    const deleted = await stack.probe.waitFor('event.deleted', (e) => e.data.event_id === event.id);
    const cancelled = await stack.probe.waitFor('invitation.cancelled', (e) => e.data.invitation_id === created[1]!.id);
    expect(cancelled.data.cancelled_by).toBe(host.id);

    // What the count below depends on: invitations has handled event.deleted to the end (the bus
    // marks it done after the handler returned), and everything the handler wrote has left the
    // outbox; a later message through the same relay then arrives after all of it.
    const store = (stack.services.invitations!.service as unknown as InvitationsService).store;
    const marker = markerId('invitations', 'events', 'event.deleted', deleted.id);
    await until(
      () => store.connection.collection<{ _id: string; state: string }>(PROCESSED_COLLECTION).findOne({ _id: marker }),
      (doc) => doc?.state === 'done',
    );
    await until(
      () => store.invitations.find({ event_id: event.id }, { outbox_at: 1 }).lean(),
      (docs) => docs.length === 2 && docs.every((doc) => doc.outbox_at === null),
    );
    const later = await createEvent(stack.api, host.token);
    const [after] = await send(host.token, later.id, [`later.${tag}@example.com`]);
    await stack.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === after!.id);

    expect(
      stack.probe.received
        .filter((e) => e.type === 'invitation.cancelled' && e.data.event_id === event.id)
        .map((e) => e.subject),
    ).toEqual([created[1]!.id]);
    const stillPending = await stack.api.get(
      `/api/attendee-invitations/verify/${await tokenFor(stack, created[1]!.id)}`,
    );
    expect(stillPending.body).toMatchObject({ status: 'cancelled', can_accept: false });
    // The accepted one is not cancelled by this (events releases its seat with the event).
    expect((await stack.api.get(`/api/attendee-invitations/verify/${token}`)).body.status).toBe('accepted');
  });
});
