import { envelope, openSealedToken } from '@convene/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/domain/tokens.ts';
import { acceptInvitationAsGuest } from '../src/flows/accept-invitation-as-guest.ts';
import { recordReservation } from '../src/flows/record-reservation.ts';
import { sendInvitations } from '../src/flows/send-invitations.ts';
import { person, type RunningInvitations, snapshot, startInvitations, until } from './support/harness.ts';

const options = {
  message: 'Come!',
  role: 'attendee' as const,
  is_vip: false,
  bypass_capacity: false,
  expires_in_ms: 7 * 86_400_000,
};

describe('invitations service: projections, reservations, sealed links', () => {
  let inv: RunningInvitations;

  beforeAll(async () => {
    inv = await startInvitations();
  });
  afterAll(async () => {
    await inv?.stop();
  });

  const send = (eventId: string, actor: ReturnType<typeof person>, emails: string[]) =>
    sendInvitations(inv.service.flows, { eventId, actor, emails, userIds: [], ...options });

  it('learns events from event.created (no internal read) and seals the link so nothing durable holds the token', async () => {
    const host = person('host');
    const event = snapshot(host);
    await inv.publisher.publish([
      envelope({ type: 'event.created', source: 'events', subject: event.event_id, data: event }),
    ]);
    await until(
      () => inv.service.store.events.findById(event.event_id).lean(),
      (doc) => doc !== null,
    );

    const { created } = await send(event.event_id, host, ['guest@example.com']);
    expect(inv.internalReads()).toBe(0);
    const sent = await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === created[0]!._id);
    expect(sent.data.invite_url).toBe(`${inv.env.PUBLIC_URL}/invite/`);
    expect(sent.data).toMatchObject({ event_title: event.title, invited_by: { name: host.name }, message: 'Come!' });
    const token = openSealedToken(sent.data.sealed_token!, inv.linkKey, created[0]!._id);
    expect(() => openSealedToken(sent.data.sealed_token!, inv.linkKey, 'another-invitation')).toThrow();

    const stored = await inv.service.store.invitations.collection.findOne({ _id: created[0]!._id as never });
    expect(stored!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(sent)).not.toContain(token);
  });

  it('reads an unknown event once from events, then keeps it', async () => {
    const host = person('host');
    const event = snapshot(host);
    inv.events.set(event.event_id, event);
    const before = inv.internalReads();
    await send(event.event_id, host, ['a@example.com']);
    await send(event.event_id, host, ['b@example.com']);
    expect(inv.internalReads() - before).toBe(1);
    await expect(send('no-such-event', host, ['c@example.com'])).rejects.toMatchObject({
      status: 404,
      code: 'EVENT_NOT_FOUND',
    });
    await expect(send(event.event_id, person('stranger'), ['d@example.com'])).rejects.toMatchObject({
      status: 403,
      code: 'NOT_EVENT_MANAGER',
    });
  });

  it('shows events’ answer on the invitation, newest answer winning, redelivery harmless', async () => {
    const host = person('host');
    const event = snapshot(host);
    inv.events.set(event.event_id, event);
    const { created } = await send(event.event_id, host, ['seat@example.com']);
    const sent = await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === created[0]!._id);
    const token = openSealedToken(sent.data.sealed_token!, inv.linkKey, created[0]!._id);
    await acceptInvitationAsGuest(inv.service.flows, { token, client: 'test' });
    const id = created[0]!._id;
    const answer = (reservation: 'confirmed' | 'waitlisted', at: string) => ({
      eventId: event.event_id,
      invitationId: id,
      registrationId: 'reg-1',
      attendee: { user_id: null, email: 'seat@example.com' },
      reservation,
      at: new Date(at),
    });
    expect(await recordReservation(inv.service.flows, answer('confirmed', '2030-01-01T00:00:02Z'))).toBe(true);
    expect(await recordReservation(inv.service.flows, answer('waitlisted', '2030-01-01T00:00:01Z'))).toBe(false);
    expect(await recordReservation(inv.service.flows, answer('confirmed', '2030-01-01T00:00:02Z'))).toBe(true);
    const doc = await inv.service.store.invitations.findById(id).lean();
    expect(doc).toMatchObject({ reservation: 'confirmed', registration_id: 'reg-1' });
    const participant = await inv.service.store.participants
      .findById(`${event.event_id}|email:seat@example.com`)
      .lean();
    expect(participant).toMatchObject({ active: true });
  });

  it('cancels the pending invitations of a cancelled event, once each, and leaves answered ones alone', async () => {
    const host = person('host');
    const event = snapshot(host);
    inv.events.set(event.event_id, event);
    const { created } = await send(event.event_id, host, ['p1@example.com', 'p2@example.com', 'p3@example.com']);
    const sent = await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === created[2]!._id);
    await acceptInvitationAsGuest(inv.service.flows, {
      token: openSealedToken(sent.data.sealed_token!, inv.linkKey, created[2]!._id),
      client: 'test',
    });

    const cancelled = envelope({
      type: 'event.cancelled',
      source: 'events',
      subject: event.event_id,
      data: { ...event, is_active: false, reason: null },
    });
    await inv.publisher.publish([cancelled, cancelled]); // a redelivery changes nothing
    const pendingIds = [created[0]!._id, created[1]!._id];
    await until(
      async () =>
        inv.probe.received.filter((e) => e.type === 'invitation.cancelled' && e.data.event_id === event.event_id),
      (list) => list.length >= 2,
    );
    // Positive marker: a later message from the same service has arrived, so any extra cancellation would have too.
    const marker = await send(event.event_id, host, ['marker@example.com']).catch((err) => err);
    expect(marker).toMatchObject({ code: 'EVENT_CLOSED' });
    const { created: other } = await send((await otherEvent(host)).event_id, host, ['marker@example.com']);
    await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === other[0]!._id);
    const announced = inv.probe.received.filter(
      (e) => e.type === 'invitation.cancelled' && e.data.event_id === event.event_id,
    );
    expect(announced.map((e) => e.subject).sort()).toEqual([...pendingIds].sort());
    const statuses = await inv.service.store.invitations.find({ event_id: event.event_id }, { status: 1 }).lean();
    expect(statuses.map((s) => s.status).sort()).toEqual(['accepted', 'cancelled', 'cancelled']);
  });

  async function otherEvent(host: ReturnType<typeof person>) {
    const event = snapshot(host);
    inv.events.set(event.event_id, event);
    return event;
  }
});
