import { type Bus, markerId } from '@convene/bus';
import { testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import { assertCountersMatch } from './support/counters.ts';
import { eventually, futureIso, publisher, type RunningEvents, startEvents } from './support/harness.ts';
import { invitationAccepted, invitationCancelled } from './support/invitations.ts';
import { caughtUp, type Probe, receivedOf, startProbeOn, until } from './support/messages.ts';

const person = (name: string) => {
  const u = testUser(name);
  return { user_id: u.id, email: u.email, name: u.name };
};

describe('reservations from invitation.accepted', () => {
  let ev: RunningEvents;
  let bus: Bus;
  let probe: Probe;
  beforeAll(async () => {
    ev = await startEvents({ JOBS_ENABLED: 'false' });
    bus = await publisher(ev.namespace);
    probe = await startProbeOn(ev.namespace, [
      'registration.confirmed',
      'registration.waitlisted',
      'registration.rejected',
      'registration.cancelled',
      'event.updated',
    ]);
  });
  afterAll(async () => {
    await probe?.stop();
    await bus?.close();
    await ev?.stop();
  });

  async function createEvent(capacity: number, extra: Record<string, unknown> = {}) {
    const host = testUser('host');
    const created = await ev.api.post(
      '/api/events',
      { title: 'Invite party', start_time: futureIso(48), location: 'Rooftop', max_participants: capacity, ...extra },
      { token: await ev.token(host) },
    );
    expect(created.status).toBe(201);
    return {
      id: created.body.id as string,
      start_time: created.body.start_time as string,
      host,
      hostToken: await ev.token(host),
    };
  }

  it('200 concurrent acceptances for 20 seats: exactly 20 non-VIP confirmed, every VIP confirmed over capacity, the rest waitlisted', async () => {
    const event = await createEvent(20);
    const messages = Array.from({ length: 200 }, (_, i) =>
      invitationAccepted(event, person(`guest${i}`), { vip: i % 10 === 0 }),
    );
    const vipIds = new Set(messages.filter((m) => m.data.bypass_capacity).map((m) => m.data.invitation_id));
    await Promise.all(messages.map((m) => bus.publish([m])));

    const answered = (ids: Set<string>) =>
      probe.received.filter((m) => {
        const data = m.data as { invitation_id?: string | null };
        return (
          ['registration.confirmed', 'registration.waitlisted', 'registration.rejected'].includes(m.type) &&
          !!data.invitation_id &&
          ids.has(data.invitation_id)
        );
      });
    const all = new Set(messages.map((m) => m.data.invitation_id));
    await until(() => answered(all).length >= 200, 60_000, '200 answers');
    // Every acceptance handled for good and every answer published: then no answer can still come.
    const handled = ev.service.store.connection.collection<{ _id: string; state: string }>('processed_messages');
    const keys = messages.map((m) => markerId('events', 'reservations', 'invitation.accepted', m.id));
    await eventually(
      async () => (await handled.countDocuments({ _id: { $in: keys }, state: 'done' })) === 200,
      30_000,
      '200 acceptances handled',
    );
    await eventually(
      async () =>
        (await ev.service.store.registrations.countDocuments({ event_id: event.id, outbox_at: { $ne: null } })) === 0,
      30_000,
      'every answer published',
    );
    await caughtUp(probe, bus);

    const regs = await ev.service.store.registrations.find({ event_id: event.id }).lean<RegistrationDoc[]>();
    const confirmed = regs.filter((r) => r.status === 'confirmed');
    const vipConfirmed = confirmed.filter((r) => r.bypassed);
    expect(regs).toHaveLength(200);
    expect(vipConfirmed).toHaveLength(vipIds.size);
    expect(vipConfirmed.every((r) => vipIds.has(r.invitation_id!))).toBe(true);
    expect(confirmed.filter((r) => !r.bypassed)).toHaveLength(20);
    expect(regs.filter((r) => r.status === 'waitlisted')).toHaveLength(200 - 20 - vipIds.size);

    // Each invitation answered exactly once, with its outcome.
    const answers = answered(all);
    expect(answers).toHaveLength(200);
    expect(new Set(answers.map((m) => (m.data as { invitation_id: string }).invitation_id)).size).toBe(200);
    expect(answers.filter((m) => m.type === 'registration.confirmed')).toHaveLength(20 + vipIds.size);
    for (const m of receivedOf(probe, 'registration.confirmed').filter((m) => vipIds.has(m.data.invitation_id!))) {
      expect(m.data.bypassed_capacity).toBe(true);
    }
    const { event: doc } = await assertCountersMatch(ev.service.store, event.id);
    expect(doc).toMatchObject({ confirmed_count: 20 + vipIds.size, bypass_count: vipIds.size, seats_left: 0 });
    const shown = await ev.api.get(`/api/events/${event.id}`);
    expect(shown.body).toMatchObject({ attendees_count: 20 + vipIds.size, available_spots: 0 });
  }, 90_000);

  it('a redelivered invitation.accepted (same envelope, or republished with a new id) makes one registration and one answer', async () => {
    const event = await createEvent(5);
    const invitee = person('dup');
    const first = invitationAccepted(event, invitee);
    const republished = { ...first, id: crypto.randomUUID() };
    await Promise.all([bus.publish([first]), bus.publish([first]), bus.publish([republished]), bus.publish([first])]);
    const id = first.data.invitation_id;
    // Done for good once each envelope's marker (kept by the bus) says so: a delivery still queued or waiting to
    // be retried (a duplicate that arrived while the first was handled) then finds the marker and
    // changes nothing.
    const handled = ev.service.store.connection.collection<{ _id: string; state: string }>('processed_messages');
    const keys = [first.id, republished.id].map((envelopeId) =>
      markerId('events', 'reservations', 'invitation.accepted', envelopeId),
    );
    await eventually(
      async () => (await handled.countDocuments({ _id: { $in: keys }, state: 'done' })) === 2,
      30_000,
      'both envelopes handled',
    );
    const regs = await ev.service.store.registrations.find({ event_id: event.id }).lean<RegistrationDoc[]>();
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ status: 'confirmed', invitation_id: id });
    // Every answer written is published, and the probe has everything published before the marker.
    await eventually(
      async () =>
        (await ev.service.store.registrations.findById(regs[0]!._id).lean<RegistrationDoc>())?.outbox_at === null,
      20_000,
      'the answer published',
    );
    await caughtUp(probe, bus);
    const answers = probe.received.filter((m) => (m.data as { invitation_id?: string }).invitation_id === id);
    expect(answers.map((m) => m.type)).toEqual(['registration.confirmed']);
    await assertCountersMatch(ev.service.store, event.id);
  }, 60_000);

  it('rejects acceptances for events that are gone, inactive or started, with the reason', async () => {
    const inactive = await createEvent(5, { is_active: false });
    const gone = { id: 'no-such-event', start_time: futureIso(10) };
    const m1 = invitationAccepted(inactive, person('late'));
    const m2 = invitationAccepted(gone, person('lost'));
    await bus.publish([m1, m2]);
    await until(
      () =>
        receivedOf(probe, 'registration.rejected').filter((m) =>
          [m1.data.invitation_id, m2.data.invitation_id].includes(m.data.invitation_id!),
        ).length === 2,
    );
    const reasons = Object.fromEntries(
      receivedOf(probe, 'registration.rejected').map((m) => [m.data.invitation_id, m.data.reason]),
    );
    expect(reasons[m1.data.invitation_id]).toBe('event_inactive');
    expect(reasons[m2.data.invitation_id]).toBe('event_not_found');
  });

  it('an invitation accepted by someone already registered answers with their standing; a VIP one lifts them off the waitlist', async () => {
    const event = await createEvent(1);
    const [seated, waiting, lifted] = ['seated', 'waiting', 'lifted'].map((name) => testUser(name)) as [
      ReturnType<typeof testUser>,
      ReturnType<typeof testUser>,
      ReturnType<typeof testUser>,
    ];
    const register = async (user: ReturnType<typeof testUser>, body: Record<string, unknown>) =>
      ev.api.post(`/api/events/${event.id}/register`, body, { token: await ev.token(user) });
    expect((await register(seated, {})).body).toMatchObject({ status: 'confirmed' });
    expect((await register(waiting, { waitlist: true })).body).toMatchObject({ waitlist_position: 1 });
    expect((await register(lifted, { waitlist: true })).body).toMatchObject({ waitlist_position: 2 });

    const invitee = (u: ReturnType<typeof testUser>) => ({ user_id: u.id, email: u.email, name: u.name });
    const toSeated = invitationAccepted(event, invitee(seated));
    const toWaiting = invitationAccepted(event, invitee(waiting));
    const toLifted = invitationAccepted(event, invitee(lifted), { vip: true });
    const ids = [toSeated, toWaiting, toLifted].map((m) => m.data.invitation_id);
    await bus.publish([toSeated, toWaiting, toLifted]);
    const answerTo = (id: string) =>
      probe.received.filter(
        (m) =>
          ['registration.confirmed', 'registration.waitlisted', 'registration.rejected'].includes(m.type) &&
          (m.data as { invitation_id?: string | null }).invitation_id === id,
      );
    await until(() => ids.every((id) => answerTo(id).length > 0), 20_000, 'three answers');

    expect(answerTo(toSeated.data.invitation_id).map((m) => [m.type, m.data])).toEqual([
      [
        'registration.confirmed',
        expect.objectContaining({
          attendee: expect.objectContaining({ user_id: seated.id }),
          bypassed_capacity: false,
        }),
      ],
    ]);
    expect(answerTo(toWaiting.data.invitation_id).map((m) => [m.type, m.data])).toEqual([
      ['registration.waitlisted', expect.objectContaining({ position: 1 })],
    ]);
    expect(answerTo(toLifted.data.invitation_id).map((m) => [m.type, m.data])).toEqual([
      ['registration.confirmed', expect.objectContaining({ bypassed_capacity: true, promoted: true })],
    ]);
    // Still one registration each, now answering its invitation; only the VIP one moved.
    const regs = await ev.service.store.registrations.find({ event_id: event.id }).lean<RegistrationDoc[]>();
    const byUser = Object.fromEntries(regs.map((r) => [r.user_id, r]));
    expect(regs).toHaveLength(3);
    expect(byUser[seated.id]).toMatchObject({ status: 'confirmed', bypassed: false, invitation_id: ids[0] });
    expect(byUser[waiting.id]).toMatchObject({ status: 'waitlisted', invitation_id: ids[1] });
    expect(byUser[lifted.id]).toMatchObject({ status: 'confirmed', bypassed: true, invitation_id: ids[2] });
    await eventually(async () => (await ev.service.store.events.findById(event.id).lean())?.txns.length === 0);
    const { event: doc } = await assertCountersMatch(ev.service.store, event.id);
    expect(doc).toMatchObject({ seats_left: 0, confirmed_count: 2, bypass_count: 1, waitlist_count: 1 });
  }, 30_000);

  it('invitation.cancelled gives the seat back and the first in line is promoted (registration.confirmed promoted=true)', async () => {
    const event = await createEvent(1);
    const holder = invitationAccepted(event, person('holder'));
    await bus.publish([holder]);
    await eventually(() =>
      ev.service.store.registrations.exists({ invitation_id: holder.data.invitation_id, status: 'confirmed' }),
    );
    const waiter = testUser('waiter');
    const waiting = await ev.api.post(
      `/api/events/${event.id}/register`,
      { waitlist: true },
      { token: await ev.token(waiter) },
    );
    expect(waiting.body).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });

    await bus.publish([invitationCancelled(holder)]);
    await until(() =>
      receivedOf(probe, 'registration.confirmed').some((m) => m.data.attendee.user_id === waiter.id && m.data.promoted),
    );
    await until(() =>
      receivedOf(probe, 'registration.cancelled').some((m) => m.data.invitation_id === holder.data.invitation_id),
    );
    const cancelled = receivedOf(probe, 'registration.cancelled').filter(
      (m) => m.data.invitation_id === holder.data.invitation_id,
    );
    expect(cancelled.map((m) => m.data)).toEqual([
      expect.objectContaining({ reason: 'invitation_cancelled', previous_status: 'confirmed' }),
    ]);
    await eventually(async () => (await ev.service.store.events.findById(event.id).lean())?.txns.length === 0);
    await assertCountersMatch(ev.service.store, event.id);
  }, 30_000);

  it('an accepted cohost invitation adds a co-host (event.updated), whom the host can remove', async () => {
    const event = await createEvent(3);
    const co = testUser('co');
    await bus.publish([
      invitationAccepted(event, { user_id: co.id, email: co.email, name: co.name }, { role: 'cohost' }),
    ]);
    const shown = await eventually(async () => {
      const r = await ev.api.get(`/api/events/${event.id}`);
      return (r.body.cohosts as unknown[]).length === 1 ? r : null;
    });
    expect(shown.body.cohosts).toEqual([{ id: co.id, name: co.name }]);
    // The co-host may now edit the event.
    const coToken = await ev.token(co);
    const patched = await ev.api.patch(`/api/events/${event.id}`, { location: 'Basement' }, { token: coToken });
    expect(patched.status).toBe(200);
    // ...but not remove co-hosts or delete it.
    expect((await ev.api.delete(`/api/events/${event.id}/cohosts/${co.id}`, { token: coToken })).status).toBe(403);
    expect((await ev.api.delete(`/api/events/${event.id}/cohosts/${co.id}`, { token: event.hostToken })).status).toBe(
      204,
    );
    expect((await ev.api.patch(`/api/events/${event.id}`, { location: 'Attic' }, { token: coToken })).status).toBe(403);
    const updates = () => receivedOf(probe, 'event.updated').filter((m) => m.data.event_id === event.id);
    await until(() => updates().length >= 3);
    await eventually(
      async () => (await ev.service.store.events.findById(event.id).lean())?.outbox_at === null,
      20_000,
      'event.updated published',
    );
    await caughtUp(probe, bus);
    // Co-host added, location changed, co-host removed; the refused edit announced nothing.
    expect(updates().map((m) => m.data.changed)).toEqual([['cohosts'], ['location'], ['cohosts']]);
  }, 30_000);
});
