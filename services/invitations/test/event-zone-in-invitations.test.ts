import { type DomainEvent, type EventSnapshot, envelope, openSealedToken } from '@convene/contracts';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitationAsGuest } from '../src/flows/accept-invitation-as-guest.ts';
import { cancelInvitation } from '../src/flows/cancel-invitation.ts';
import { declineInvitationAsGuest } from '../src/flows/decline-invitation-as-guest.ts';
import { expireOverdueInvitations } from '../src/flows/expire-overdue-invitations.ts';
import { exportInvitationsAsCsv } from '../src/flows/export-invitations-as-csv.ts';
import { recordReservation } from '../src/flows/record-reservation.ts';
import { remindInviteesBeforeExpiry } from '../src/flows/remind-invitees-before-expiry.ts';
import { resendInvitation } from '../src/flows/resend-invitation.ts';
import { sendInvitations } from '../src/flows/send-invitations.ts';
import { VerifyOut } from '../src/http/schemas.ts';
import { person, type RunningInvitations, snapshot, startInvitations, until } from './support/harness.ts';

const DAY = 86_400_000;
const options = {
  message: 'Come!',
  role: 'attendee' as const,
  is_vip: false,
  bypass_capacity: false,
  expires_in_ms: 7 * DAY,
};

/**
 * The event's zone and end reach everything invitations says about an event: every invitation.*
 * message (from the projection event.created / event.updated keep), the invitation page's verify
 * answer, and the CSV export's human columns.
 */
describe('invitations name the event in its own zone', () => {
  let inv: RunningInvitations;

  beforeAll(async () => {
    inv = await startInvitations();
  });
  afterAll(async () => {
    await inv?.stop();
  });

  async function announceEvent(type: 'event.created' | 'event.updated', event: EventSnapshot) {
    const source = 'events';
    const subject = event.event_id;
    await inv.publisher.publish([
      type === 'event.created'
        ? envelope({ type, source, subject, data: event })
        : envelope({ type, source, subject, data: { ...event, changed: ['timezone', 'start_time', 'end_time'] } }),
    ]);
    await until(
      () => inv.service.store.events.findById(event.event_id).lean(),
      (doc) =>
        doc?.timezone === event.timezone &&
        doc.end_time.toISOString() === event.end_time &&
        doc.is_active === event.is_active,
    );
  }

  /** A Kyiv event some weeks ahead, known from event.created (so no internal read names it). */
  async function kyivEvent(overrides: Partial<EventSnapshot> = {}) {
    const host = person('host');
    const start = new Date(inv.clock.now().getTime() + 40 * DAY);
    const event = snapshot(host, {
      timezone: 'Europe/Kyiv',
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      ...overrides,
    });
    await announceEvent('event.created', event);
    return { host, event };
  }

  async function invite(event: EventSnapshot, host: ReturnType<typeof person>, email: string) {
    const { created } = await sendInvitations(inv.service.flows, {
      eventId: event.event_id,
      actor: host,
      emails: [email],
      userIds: [],
      ...options,
    });
    const id = created[0]!._id;
    const sent = await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === id);
    return { id, sent, token: openSealedToken(sent.data.sealed_token!, inv.linkKey, id) };
  }

  const zoneOf = (m: DomainEvent) => {
    const data = m.data as { event_timezone?: string; event_end_time?: string; event_start_time?: string };
    return { zone: data.event_timezone, start: data.event_start_time, end: data.event_end_time };
  };
  const expectZone = (m: DomainEvent, event: EventSnapshot) =>
    expect(zoneOf(m), m.type).toEqual({ zone: event.timezone, start: event.start_time, end: event.end_time });

  it('every invitation.* message carries the event’s zone and end, and follows an event.updated that moves them', async () => {
    const { host, event } = await kyivEvent();
    const [a, b, c, d, e] = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((n) => invite(event, host, `${n}.${host.id}@example.com`)),
    );
    for (const one of [a, b, c, d, e]) expectZone(one!.sent, event);

    const accepted = await acceptInvitationAsGuest(inv.service.flows, { token: a!.token, client: 'test' });
    expectZone(await inv.probe.waitFor('invitation.accepted', (m) => m.subject === accepted._id), event);
    await declineInvitationAsGuest(inv.service.flows, { token: b!.token, client: 'test' });
    expectZone(await inv.probe.waitFor('invitation.declined', (m) => m.subject === b!.id), event);

    // Moved to Lisbon and an hour later: what goes out from now on names the new zone and times.
    const moved: EventSnapshot = {
      ...event,
      timezone: 'Europe/Lisbon',
      start_time: new Date(Date.parse(event.start_time) + 3_600_000).toISOString(),
      end_time: new Date(Date.parse(event.end_time) + 3_600_000).toISOString(),
    };
    await announceEvent('event.updated', moved);
    await resendInvitation(inv.service.flows, { ref: c!.id, eventId: event.event_id, actor: host });
    expectZone(await inv.probe.waitFor('invitation.resent', (m) => m.subject === c!.id), moved);
    await cancelInvitation(inv.service.flows, { ref: d!.id, eventId: event.event_id, actor: host });
    expectZone(await inv.probe.waitFor('invitation.cancelled', (m) => m.subject === d!.id), moved);

    // Past the reminder lead, then past the expiry: e (and c, resent) are reminded, then expire.
    inv.clock.advance(6 * DAY);
    await remindInviteesBeforeExpiry(inv.service.flows);
    expectZone(await inv.probe.waitFor('invitation.reminder_due', (m) => m.subject === e!.id), moved);
    inv.clock.advance(2 * DAY);
    await expireOverdueInvitations(inv.service.flows);
    expectZone(await inv.probe.waitFor('invitation.expired', (m) => m.subject === e!.id), moved);
  });

  it('an event first heard of by the internal read keeps its zone too', async () => {
    const host = person('host');
    const event = snapshot(host, { timezone: 'Asia/Tokyo' });
    inv.events.set(event.event_id, event);
    const reads = inv.internalReads();
    const { sent } = await invite(event, host, `read.${host.id}@example.org`);
    expect(inv.internalReads() - reads).toBe(1);
    expectZone(sent, event);
  });

  describe('the verify answer the invitation page reads', () => {
    const verify = async (token: string) => {
      const reply = await inv.service.app.request(`/api/attendee-invitations/verify/${token}`);
      expect(reply.status).toBe(200);
      const body = (await reply.json()) as Record<string, unknown>;
      // Every field the page gets is declared in the OpenAPI document (generated from this schema).
      VerifyOut.strict().parse(body);
      return body;
    };

    it('names the event’s start, end, zone, place and host (by name, never by email)', async () => {
      const { host, event } = await kyivEvent({ location: 'Kyiv, Hall A' });
      const { token } = await invite(event, host, `guest.${host.id}@example.org`);
      const page = await verify(token);
      expect(page).toMatchObject({
        event_start_time: event.start_time,
        event_end_time: event.end_time,
        event_timezone: 'Europe/Kyiv',
        event_location: 'Kyiv, Hall A',
        host_name: host.name,
        invited_by: host.name,
        status: 'pending',
        state: 'pending',
        can_accept: true,
        responded_at: null,
      });
      expect(typeof page.expires_at).toBe('string');
      expect(JSON.stringify(page)).not.toContain(host.email);
    });

    it('says each state in one word: declined, cancelled, expired, event closed', async () => {
      const { host, event } = await kyivEvent();
      const [declined, cancelled, expiring, closing] = await Promise.all(
        ['declined', 'cancelled', 'expiring', 'closing'].map((n) => invite(event, host, `${n}.${host.id}@example.com`)),
      );
      const answeredAt = (await declineInvitationAsGuest(inv.service.flows, { token: declined!.token, client: 't' }))
        .responded_at;
      expect(await verify(declined!.token)).toMatchObject({
        status: 'declined',
        state: 'declined',
        responded_at: answeredAt!.toISOString(),
        can_accept: false,
      });
      await cancelInvitation(inv.service.flows, { ref: cancelled!.id, eventId: event.event_id, actor: host });
      expect(await verify(cancelled!.token)).toMatchObject({ state: 'cancelled', can_accept: false });

      // Closed by an update (the event made inactive) while the invitation is still pending.
      const other = await kyivEvent();
      const closed = await invite(other.event, other.host, `closed.${host.id}@example.com`);
      await announceEvent('event.updated', { ...other.event, is_active: false });
      expect(await verify(closed.token)).toMatchObject({ status: 'pending', state: 'event_closed', can_accept: false });

      inv.clock.advance(8 * DAY);
      expect(await verify(expiring!.token)).toMatchObject({ status: 'expired', state: 'expired', is_expired: true });
      expect(await verify(closing!.token)).toMatchObject({ state: 'expired' });
    });

    it('an accepted invitation says what became of the seat: reserving, confirmed, waitlisted, rejected', async () => {
      const { host, event } = await kyivEvent();
      const outcomes = ['confirmed', 'waitlisted', 'rejected'] as const;
      const links = await Promise.all(
        ['reserving', ...outcomes].map((n) => invite(event, host, `${n}.${host.id}@example.com`)),
      );
      for (const link of links) await acceptInvitationAsGuest(inv.service.flows, { token: link.token, client: 't' });
      expect(await verify(links[0]!.token)).toMatchObject({
        status: 'accepted',
        state: 'accepted_pending',
        reservation: 'pending',
      });
      for (const [n, reservation] of outcomes.entries()) {
        const link = links[n + 1]!;
        await recordReservation(inv.service.flows, {
          eventId: event.event_id,
          invitationId: link.id,
          registrationId: `reg-${link.id}`,
          attendee: { user_id: null, email: `${reservation}.${host.id}@example.com` },
          reservation,
          at: new Date(),
        });
        expect(await verify(link.token)).toMatchObject({ status: 'accepted', state: `accepted_${reservation}` });
      }
    });
  });

  it('the CSV export says sent, expires and answered in the event’s zone across the DST change, beside the ISO columns', async () => {
    // Kyiv springs forward at 01:00 UTC on the last Sunday of March 2027 (03:00 EET → 04:00 EEST).
    inv.clock.freeze(new Date('2027-03-28T00:30:00Z'));
    const { host, event } = await kyivEvent();
    const { token } = await invite(event, host, `csv.${host.id}@example.com`);
    inv.clock.set(new Date('2027-03-28T01:30:00Z'));
    await acceptInvitationAsGuest(inv.service.flows, { token, client: 't' });

    const csv = await exportInvitationsAsCsv(inv.service.flows, event.event_id, host);
    const text = Buffer.concat(await csv.toArray()).toString('utf8');
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      created_at: '2027-03-28T00:30:00.000Z',
      responded_at: '2027-03-28T01:30:00.000Z',
      expires_at: '2027-04-04T00:30:00.000Z',
      sent: 'Sun, 28 Mar 2027, 02:30 EET',
      answered: 'Sun, 28 Mar 2027, 04:30 EEST',
      expires: 'Sun, 4 Apr 2027, 03:30 EEST',
    });
  });
});
