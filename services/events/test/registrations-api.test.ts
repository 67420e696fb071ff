import { type TestUser, testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCountersMatch } from './support/counters.ts';
import { eventually, futureIso, type RunningEvents, startEvents } from './support/harness.ts';
import { type Probe, receivedOf, startProbeOn, until } from './support/messages.ts';

type Json = Record<string, unknown>;
type Page = { count: number; next: string | null; previous: string | null; results: Json[] };

describe('registrations API', () => {
  let ev: RunningEvents;
  let probe: Probe;
  beforeAll(async () => {
    ev = await startEvents({ EVENT_CREATE_LIMIT: '1000', WAITLIST_INTERVAL_MS: '1h' });
    probe = await startProbeOn(ev.namespace, [
      'registration.confirmed',
      'registration.waitlisted',
      'registration.cancelled',
      'registration.attendance_marked',
    ]);
  });
  afterAll(async () => {
    await probe?.stop();
    await ev?.stop();
  });

  async function newEvent(extra: Json = {}) {
    const host = testUser('host');
    const hostToken = await ev.token(host);
    const reply = await ev.api.post(
      '/api/events',
      { title: 'Meetup', start_time: futureIso(48), location: 'Cafe', max_participants: 2, ...extra },
      { token: hostToken },
    );
    expect(reply.status).toBe(201);
    return { id: reply.body.id as string, host, hostToken };
  }
  const as = async (user: TestUser) => ({ token: await ev.token(user) });

  describe('register / unregister (the legacy events API shape)', () => {
    it('answers 201 with the registration body', async () => {
      const { id } = await newEvent();
      const ann = testUser('ann');
      const reply = await ev.api.post(`/api/events/${id}/register/`, undefined, await as(ann));
      expect(reply.status).toBe(201);
      expect(Object.keys(reply.body).sort()).toEqual([
        'event',
        'id',
        'is_cancelled',
        'registered_at',
        'status',
        'user',
      ]);
      expect(reply.body).toMatchObject({ user: ann.id, event: id, status: 'confirmed', is_cancelled: false });
      const stored = await ev.service.store.registrations.findById(reply.body.id).lean();
      expect(reply.body.registered_at).toBe(stored!.registered_at.toISOString());
      await until(() =>
        receivedOf(probe, 'registration.confirmed').some(
          (m) => m.data.registration_id === reply.body.id && !m.data.promoted,
        ),
      );
    });

    it('refuses with the legacy events API four messages', async () => {
      const { id } = await newEvent({ max_participants: 1 });
      const ann = testUser('ann');
      expect((await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann))).status).toBe(201);

      const again = await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann));
      expect([again.status, again.body.detail]).toEqual([400, 'You are already registered for this event.']);

      const full = await ev.api.post(`/api/events/${id}/register`, undefined, await as(testUser('bob')));
      expect([full.status, full.body.detail]).toEqual([400, 'This event is full.']);

      const inactive = await newEvent({ is_active: false });
      const closed = await ev.api.post(`/api/events/${inactive.id}/register`, undefined, await as(testUser('cy')));
      expect([closed.status, closed.body.detail]).toEqual([400, 'This event is not active.']);

      const past = await newEvent();
      const started = new Date(Date.now() - 3_600_000);
      await ev.service.store.events.updateOne({ _id: past.id }, { $set: { start_time: started } });
      const late = await ev.api.post(`/api/events/${past.id}/register`, undefined, await as(testUser('dee')));
      expect([late.status, late.body.detail]).toEqual([400, 'Cannot register for past events.']);

      expect((await ev.api.post(`/api/events/${id}/register`)).status).toBe(401);
      const nope = await ev.api.post('/api/events/nope/register', undefined, await as(ann));
      expect([nope.status, nope.body.detail]).toEqual([404, 'Not found.']);
      // The shortcut tries the move before reading the event: a refused one leaves nothing behind.
      for (const eventId of ['nope', inactive.id, past.id]) {
        expect(await ev.service.store.registrations.countDocuments({ event_id: eventId })).toBe(0);
      }
      await assertCountersMatch(ev.service.store, inactive.id);
      await assertCountersMatch(ev.service.store, past.id);
    });

    it('answers "not active" before "already registered", as before the shortcut (the order of the checks)', async () => {
      const { id, hostToken } = await newEvent();
      const ann = testUser('ann');
      expect((await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann))).status).toBe(201);
      await ev.api.patch(`/api/events/${id}`, { is_active: false }, { token: hostToken });
      const closed = await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann));
      expect([closed.status, closed.body.detail]).toEqual([400, 'This event is not active.']);
      await ev.api.patch(`/api/events/${id}`, { is_active: true }, { token: hostToken });
      const again = await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann));
      expect([again.status, again.body.detail]).toEqual([400, 'You are already registered for this event.']);
    });

    it('accepts an empty JSON body and refuses unknown body fields', async () => {
      const { id } = await newEvent();
      const empty = await ev.api.request('POST', `/api/events/${id}/register`, undefined, {
        ...(await as(testUser('e'))),
        raw: '',
      });
      expect(empty.status).toBe(201);
      const odd = await ev.api.post(`/api/events/${id}/register`, { seats: 3 }, await as(testUser('f')));
      expect(odd.status).toBe(400);
      expect(odd.body.errors).toMatchObject({ seats: ['Unknown field.'] });
    });

    it('unregisters by POST (legacy events API) and by DELETE (legacy participation API), then can register again', async () => {
      const { id } = await newEvent();
      const ann = testUser('ann');
      const auth = await as(ann);
      await ev.api.post(`/api/events/${id}/register`, undefined, auth);
      const left = await ev.api.post(`/api/events/${id}/unregister/`, undefined, auth);
      expect([left.status, left.body]).toEqual([200, { detail: 'Successfully unregistered from the event.' }]);
      const twice = await ev.api.post(`/api/events/${id}/unregister`, undefined, auth);
      expect([twice.status, twice.body.detail]).toEqual([400, 'You are not registered for this event.']);

      const back = await ev.api.post(`/api/events/${id}/register`, undefined, auth);
      expect([back.status, back.body.status]).toEqual([201, 'confirmed']);
      const deleted = await ev.api.delete(`/api/events/${id}/unregister`, auth);
      expect([deleted.status, deleted.body.detail]).toEqual([200, 'Successfully unregistered from the event.']);
      const shown = await ev.api.get(`/api/events/${id}`);
      expect(shown.body).toMatchObject({ attendees_count: 0, available_spots: 2 });
      await until(
        () =>
          receivedOf(probe, 'registration.cancelled').filter(
            (m) => m.data.event.event_id === id && m.data.reason === 'unregistered',
          ).length === 2,
      );
      await assertCountersMatch(ev.service.store, id);
    });
  });

  describe('waitlist', () => {
    it('joins when full on request, leaves on DELETE /waitlist, and is promoted in order when a seat frees', async () => {
      const { id } = await newEvent({ max_participants: 1 });
      const [holder, first, second, third] = [
        testUser('holder'),
        testUser('first'),
        testUser('second'),
        testUser('third'),
      ];
      await ev.api.post(`/api/events/${id}/register`, undefined, await as(holder));
      const w1 = await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(first));
      const w2 = await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(second));
      const w3 = await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(third));
      expect([w1.status, w1.body.status, w1.body.waitlist_position]).toEqual([201, 'waitlisted', 1]);
      expect(w2.body.waitlist_position).toBe(2);
      expect(w3.body.waitlist_position).toBe(3);
      expect((await ev.api.get(`/api/events/${id}`)).body).toMatchObject({ waitlist_count: 3, available_spots: 0 });

      const out = await ev.api.delete(`/api/events/${id}/waitlist`, await as(second));
      expect([out.status, out.body.detail]).toEqual([200, 'Successfully left the waitlist.']);
      const notIn = await ev.api.delete(`/api/events/${id}/waitlist`, await as(second));
      expect([notIn.status, notIn.body.detail]).toEqual([400, 'You are not on the waitlist for this event.']);
      const holderNotWaiting = await ev.api.delete(`/api/events/${id}/waitlist`, await as(holder));
      expect(holderNotWaiting.status).toBe(400);

      await ev.api.post(`/api/events/${id}/unregister`, undefined, await as(holder));
      await until(() =>
        receivedOf(probe, 'registration.confirmed').some(
          (m) => m.data.attendee.user_id === first.id && m.data.promoted,
        ),
      );
      const mine = await ev.api.get<Page>('/api/my-registrations/active', await as(third));
      expect(mine.body.results[0]).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
      await eventually(async () => (await ev.service.store.events.findById(id).lean())?.txns.length === 0);
      const { event } = await assertCountersMatch(ev.service.store, id);
      expect(event).toMatchObject({ confirmed_count: 1, waitlist_count: 1 });
    }, 30_000);

    it('raising the capacity promotes the waitlist', async () => {
      const { id, hostToken } = await newEvent({ max_participants: 1 });
      const people = [testUser('a'), testUser('b'), testUser('c')];
      for (const p of people) await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(p));
      await ev.api.patch(`/api/events/${id}`, { max_participants: 2 }, { token: hostToken });
      await until(() =>
        receivedOf(probe, 'registration.confirmed').some(
          (m) => m.data.attendee.user_id === people[1]!.id && m.data.promoted,
        ),
      );
      await eventually(async () => (await ev.service.store.events.findById(id).lean())?.txns.length === 0);
      const { event } = await assertCountersMatch(ev.service.store, id);
      expect(event).toMatchObject({ confirmed_count: 2, waitlist_count: 1, seats_left: 0 });
    }, 30_000);
  });

  describe('check-in', () => {
    it('host and co-hosts mark confirmed registrations attended and can undo it', async () => {
      const { id, hostToken } = await newEvent({ requires_check_in: true });
      const ann = testUser('ann');
      const reg = await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann));
      const path = `/api/events/${id}/registrations/${reg.body.id}/check-in`;

      const denied = await ev.api.post(path, undefined, await as(ann));
      expect([denied.status, denied.body.detail]).toEqual([403, 'Only the host or a co-host can do this.']);
      const marked = await ev.api.post(path, undefined, { token: hostToken });
      expect(marked.status).toBe(200);
      expect(marked.body).toMatchObject({ id: reg.body.id, checked_in: true, email: ann.email });
      expect((await ev.api.post(path, undefined, { token: hostToken })).body.checked_in).toBe(true);
      const undone = await ev.api.delete(path, { token: hostToken });
      expect(undone.body).toMatchObject({ checked_in: false, checked_in_at: null });

      expect(
        (await ev.api.post(`/api/events/${id}/registrations/nope/check-in`, undefined, { token: hostToken })).status,
      ).toBe(404);
      await until(() => {
        const marks = receivedOf(probe, 'registration.attendance_marked').filter(
          (m) => m.data.registration_id === reg.body.id,
        );
        return (
          marks.length === 2 &&
          marks[0]!.data.attended &&
          !marks[1]!.data.attended &&
          marks[0]!.data.event.requires_check_in
        );
      });
    });

    it('refuses to check in someone who is only waitlisted', async () => {
      const { id, hostToken } = await newEvent({ max_participants: 1 });
      await ev.api.post(`/api/events/${id}/register`, undefined, await as(testUser('a')));
      const waiting = await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(testUser('b')));
      const reply = await ev.api.post(`/api/events/${id}/registrations/${waiting.body.id}/check-in`, undefined, {
        token: hostToken,
      });
      expect([reply.status, reply.body.detail]).toEqual([400, 'Only a confirmed registration can be checked in.']);
    });
  });

  describe('participants', () => {
    let id: string;
    let hostToken: string;
    const [ann, bob, cy] = [testUser('ann'), testUser('bob'), testUser('cy')];
    beforeAll(async () => {
      ({ id, hostToken } = await newEvent({ max_participants: 2 }));
      for (const p of [ann, bob]) await ev.api.post(`/api/events/${id}/register`, undefined, await as(p));
      await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(cy));
    });

    it('lists confirmed participants with names for anyone and emails for the host', async () => {
      const open = await ev.api.get<Page>(`/api/events/${id}/participants/`, await as(testUser('curious')));
      expect(open.status).toBe(200);
      expect(open.body.count).toBe(2);
      expect(open.body.results.map((r) => r.name)).toEqual([ann.name, bob.name]);
      expect(open.body.results.every((r) => !('email' in r))).toBe(true);
      const forHost = await ev.api.get<Page>(`/api/events/${id}/participants?page_size=1`, { token: hostToken });
      expect(forHost.body).toMatchObject({ count: 2, previous: null });
      expect(forHost.body.results[0]).toMatchObject({ email: ann.email, user: ann.id, event: id, is_cancelled: false });
      expect(forHost.body.next).toContain('page=2');
    });

    it('shows the waitlist in order to the host only', async () => {
      const line = await ev.api.get<Page>(`/api/events/${id}/participants?status=waitlisted`, { token: hostToken });
      expect(line.body.results).toEqual([
        expect.objectContaining({ user: cy.id, waitlist_position: 1, status: 'waitlisted' }),
      ]);
      expect((await ev.api.get(`/api/events/${id}/participants?status=waitlisted`, await as(ann))).status).toBe(403);
      expect((await ev.api.get(`/api/events/${id}/participants?status=everyone`, { token: hostToken })).status).toBe(
        400,
      );
    });

    it('serves the legacy events API attendees to the organizer only', async () => {
      expect((await ev.api.get(`/api/events/${id}/attendees`)).status).toBe(401);
      const denied = await ev.api.get(`/api/events/${id}/attendees/`, await as(ann));
      expect([denied.status, denied.body.detail]).toEqual([403, 'Only the organizer can view attendees.']);
      const ok = await ev.api.get<Page>(`/api/events/${id}/attendees`, { token: hostToken });
      expect(ok.status).toBe(200);
      expect(ok.body.count).toBe(2);
      const annsRegistration = await ev.service.store.registrations.findOne({ event_id: id, user_key: ann.id }).lean();
      expect(ok.body.results[0]).toMatchObject({
        user: ann.id,
        event: id,
        is_cancelled: false,
        registered_at: annsRegistration!.registered_at.toISOString(),
      });
    });

    it('exports participants as CSV for the host', async () => {
      const csv = await ev.api.get(`/api/events/${id}/participants.csv`, { token: hostToken });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'name,email,status,registered_at,checked_in,checked_in_at,registered_at_local,checked_in_at_local',
      );
      expect(lines).toHaveLength(4);
      const iso = '\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z';
      // Not checked in: no check-in time; the registration time for people, in the event's zone (UTC here).
      const local = '"\\w{3}, \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} UTC"';
      expect(lines[1]).toMatch(new RegExp(`^${ann.name},${ann.email},confirmed,${iso},false,,${local},$`));
      expect(lines[2]).toMatch(new RegExp(`^${bob.name},${bob.email},confirmed,${iso},false,,${local},$`));
      expect(lines[3]).toMatch(new RegExp(`^${cy.name},${cy.email},waitlisted,${iso},false,,${local},$`));
      expect((await ev.api.get(`/api/events/${id}/participants.csv`, await as(ann))).status).toBe(403);
    });
  });

  describe('my registrations', () => {
    it('lists all, active (not cancelled, upcoming) and past', async () => {
      const me = testUser('me');
      const auth = await as(me);
      const upcoming = await newEvent({ title: 'Upcoming' });
      const dropped = await newEvent({ title: 'Dropped' });
      const over = await newEvent({ title: 'Over' });
      for (const e of [upcoming, dropped, over])
        expect((await ev.api.post(`/api/events/${e.id}/register`, undefined, auth)).status).toBe(201);
      await ev.api.post(`/api/events/${dropped.id}/unregister`, undefined, auth);
      // "Over" started an hour ago (its registrations carry a copy of the times).
      const started = new Date(Date.now() - 3_600_000);
      await ev.service.store.events.updateOne({ _id: over.id }, { $set: { start_time: started } });
      await ev.service.store.registrations.updateMany({ event_id: over.id }, { $set: { event_start_time: started } });

      const all = await ev.api.get<Page>('/api/my-registrations/', auth);
      expect(all.status).toBe(200);
      expect(all.body.count).toBe(3);
      const first = all.body.results.find((r) => (r.event as Json).id === upcoming.id)!;
      expect(first).toMatchObject({
        event: { id: upcoming.id, title: 'Upcoming' },
        is_cancelled: false,
        status: 'confirmed',
      });
      const shown = await ev.api.get(`/api/events/${upcoming.id}`);
      expect((first.event as Json).date).toBe(shown.body.start_time);
      expect(all.body.results.find((r) => (r.event as Json).id === dropped.id)).toMatchObject({ is_cancelled: true });

      const active = await ev.api.get<Page>('/api/my-registrations/active', auth);
      expect(active.body.results.map((r) => (r.event as Json).title)).toEqual(['Upcoming']);
      const past = await ev.api.get<Page>('/api/my-registrations/past/', auth);
      expect(past.body.results.map((r) => (r.event as Json).title)).toEqual(['Over']);
      expect((await ev.api.get('/api/my-registrations')).status).toBe(401);
    });

    it('follows the event when the host moves it', async () => {
      const me = testUser('mover');
      const auth = await as(me);
      const e = await newEvent({ title: 'Moving' });
      await ev.api.post(`/api/events/${e.id}/register`, undefined, auth);
      const later = futureIso(24 * 30);
      await ev.api.patch(
        `/api/events/${e.id}`,
        { start_time: later, end_time: futureIso(24 * 30 + 1) },
        { token: e.hostToken },
      );
      const active = await ev.api.get<Page>('/api/my-registrations/active', auth);
      expect((active.body.results[0]!.event as Json).start_time).toBe(later);
      const reg = await ev.service.store.registrations.findOne({ event_id: e.id }).lean();
      expect(reg!.event_start_time.toISOString()).toBe(later);
    });
  });
});

/**
 * Promotion order, queue fairness and offer mode, driven by hand: consumers and jobs are off, so
 * nothing moves until the test runs the waitlist job.
 */
describe('waitlist promotion (driven by hand)', () => {
  let ev: RunningEvents;
  let probe: Probe;
  beforeAll(async () => {
    ev = await startEvents({ EVENT_CREATE_LIMIT: '1000', JOBS_ENABLED: 'false', CONSUMERS_ENABLED: 'false' });
    probe = await startProbeOn(ev.namespace, [
      'registration.offered',
      'registration.cancelled',
      'registration.confirmed',
    ]);
  });
  afterAll(async () => {
    await probe?.stop();
    await ev?.stop();
  });

  const as = async (user: TestUser) => ({ token: await ev.token(user) });
  const statusOf = async (eventId: string, user: TestUser) =>
    (await ev.service.store.registrations.findOne({ event_id: eventId, user_key: user.id }).lean())?.status;

  it('a freed seat goes to the waitlist, not to a newcomer', async () => {
    const host = testUser('host');
    const e = await ev.api.post(
      '/api/events',
      { title: 'Fair', start_time: futureIso(24), location: 'X', max_participants: 1 },
      await as(host),
    );
    const id = e.body.id as string;
    const [a, b, newcomer] = [testUser('a'), testUser('b'), testUser('new')];
    await ev.api.post(`/api/events/${id}/register`, undefined, await as(a));
    await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(b));
    await ev.api.post(`/api/events/${id}/unregister`, undefined, await as(a));
    // One seat is free, but b waits for it.
    expect((await ev.api.get(`/api/events/${id}`)).body.available_spots).toBe(1);
    const jump = await ev.api.post(`/api/events/${id}/register`, undefined, await as(newcomer));
    expect([jump.status, jump.body.detail]).toEqual([400, 'This event is full.']);
    await ev.service.jobs.waitlist.runNow();
    expect(await statusOf(id, b)).toBe('confirmed');
    await assertCountersMatch(ev.service.store, id);
  });

  it('offer mode holds the seat for the next in line, who accepts; a lapsed offer passes to the next', async () => {
    const host = testUser('host');
    const e = await ev.api.post(
      '/api/events',
      {
        title: 'Offers',
        start_time: futureIso(48),
        location: 'X',
        max_participants: 1,
        waitlist_mode: 'offer',
        offer_window_hours: 1,
      },
      await as(host),
    );
    const id = e.body.id as string;
    const [a, b, c, d] = [testUser('a'), testUser('b'), testUser('c'), testUser('d')];
    await ev.api.post(`/api/events/${id}/register`, undefined, await as(a));
    for (const p of [b, c, d]) await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(p));

    // a leaves: the seat is offered to b, and counts against capacity while held.
    await ev.api.post(`/api/events/${id}/unregister`, undefined, await as(a));
    await ev.service.jobs.waitlist.runNow();
    expect(await statusOf(id, b)).toBe('offered');
    expect((await ev.api.get(`/api/events/${id}`)).body).toMatchObject({ available_spots: 0, waitlist_count: 2 });
    const noOffer = await ev.api.post(`/api/events/${id}/offer/accept`, undefined, await as(c));
    expect([noOffer.status, noOffer.body.detail]).toEqual([400, 'You have no seat offer for this event.']);
    const accepted = await ev.api.post(`/api/events/${id}/offer/accept`, undefined, await as(b));
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('confirmed');

    // b leaves: c is offered the seat and lets the offer lapse; it passes to d.
    await ev.api.post(`/api/events/${id}/unregister`, undefined, await as(b));
    await ev.service.jobs.waitlist.runNow();
    expect(await statusOf(id, c)).toBe('offered');
    ev.clock.advance(61 * 60_000);
    const tooLate = await ev.api.post(`/api/events/${id}/offer/accept`, undefined, await as(c));
    expect([tooLate.status, tooLate.body.detail]).toEqual([400, 'Your seat offer has expired.']);
    await ev.service.jobs.waitlist.runNow();
    expect(await statusOf(id, c)).toBe('cancelled');
    expect(await statusOf(id, d)).toBe('offered');
    await until(() =>
      receivedOf(probe, 'registration.cancelled').some(
        (m) => m.data.attendee.user_id === c.id && m.data.reason === 'offer_lapsed',
      ),
    );
    await until(
      () => receivedOf(probe, 'registration.offered').filter((m) => m.data.event.event_id === id).length === 3,
    );
    // d declines by leaving the waitlist: the held seat is free again.
    expect((await ev.api.delete(`/api/events/${id}/waitlist`, await as(d))).status).toBe(200);
    const { event } = await assertCountersMatch(ev.service.store, id);
    expect(event).toMatchObject({ seats_left: 1, held_count: 0, waitlist_count: 0, confirmed_count: 0 });
  }, 30_000);
});
