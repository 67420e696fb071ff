import type { Bus } from '@convene/bus';
import { type TestUser, testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, futureIso, publisher, type RunningEvents, startEvents } from './support/harness.ts';
import { invitationAccepted, invitationSent } from './support/invitations.ts';
import { type Probe, receivedOf, startProbeOn, until } from './support/messages.ts';

type Json = Record<string, unknown>;
type Page = { count: number; next: string | null; previous: string | null; results: Json[] };

describe('events API', () => {
  let ev: RunningEvents;
  let probe: Probe;
  let bus: Bus;
  const host = testUser('host');
  let hostToken: string;

  beforeAll(async () => {
    // The creation quota has its own test file (creation-quota.test.ts); here hosts create freely.
    ev = await startEvents({ WAITLIST_INTERVAL_MS: '1h', EVENT_CREATE_LIMIT: '1000' });
    probe = await startProbeOn(ev.namespace, ['event.created', 'event.updated', 'event.cancelled', 'event.deleted']);
    bus = await publisher(ev.namespace);
    hostToken = await ev.token(host);
  });
  afterAll(async () => {
    await probe?.stop();
    await bus?.close();
    await ev?.stop();
  });

  const create = async (body: Json, token = hostToken) => ev.api.post('/api/events', body, { token });
  const basic = (extra: Json = {}) => ({
    title: 'Python Workshop',
    description: 'Hands-on Python programming workshop for beginners',
    start_time: futureIso(48),
    location: 'Tech Hub, New York',
    max_participants: 30,
    ...extra,
  });

  describe('create', () => {
    it('takes the legacy events API fields and answers with canonical fields and their aliases (201)', async () => {
      const date = futureIso(72);
      const reply = await create({
        title: 'Python Workshop',
        description: 'Hands-on Python programming workshop for beginners',
        date,
        location: 'Tech Hub, New York',
        max_attendees: 30,
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        title: 'Python Workshop',
        date,
        start_time: date,
        location: 'Tech Hub, New York',
        organizer: host.id,
        host: host.id,
        organizer_name: host.name,
        host_name: host.name,
        max_attendees: 30,
        max_participants: 30,
        attendees_count: 0,
        waitlist_count: 0,
        available_spots: 30,
        is_active: true,
        is_past: false,
        visibility: 'public',
        cohosts: [],
      });
      expect(typeof reply.body.id).toBe('string');
      // Without an end, the event lasts DEFAULT_EVENT_DURATION (2h).
      expect(Date.parse(reply.body.end_time as string) - Date.parse(date)).toBe(2 * 3_600_000);
      expect(reply.body.created_at).toBe(reply.body.updated_at);
      await until(() => receivedOf(probe, 'event.created').some((m) => m.data.event_id === reply.body.id));
    });

    it('needs a signed-in user', async () => {
      const reply = await ev.api.post('/api/events', basic());
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
    });

    it('names every invalid field', async () => {
      const missing = await create({ description: 'x' });
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.body.errors as Json).sort()).toEqual([
        'location',
        'max_participants',
        'start_time',
        'title',
      ]);
      expect((missing.body.errors as Json).title).toEqual(['This field is required.']);

      const start = futureIso(10);
      const bad = await create(
        basic({ start_time: start, end_time: start, max_participants: 0, title: 'x'.repeat(201) }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toMatchObject({
        end_time: ['End time must be after start time.'],
        max_participants: ['Ensure this value is greater than or equal to 1.'],
        title: ['Ensure this field has no more than 200 characters.'],
      });

      const past = await create(basic({ start_time: new Date(Date.now() - 3_600_000).toISOString() }));
      expect(past.body.errors).toMatchObject({ start_time: ['Start time must be in the future.'] });

      const conflicting = await create(basic({ date: futureIso(99) }));
      expect([conflicting.status, conflicting.body.errors]).toEqual([
        400,
        { date: ['Conflicts with start_time; send one of them.'] },
      ]);

      const unknown = await create(basic({ price: 10 }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toMatchObject({ price: ['Unknown field.'] });

      const notADate = await create(basic({ start_time: 'tomorrow' }));
      expect([notADate.status, notADate.body.errors]).toEqual([
        400,
        { start_time: ['Enter a valid date-time (ISO 8601 with a time zone, e.g. 2030-07-20T14:00:00Z).'] },
      ]);
    });

    it('accepts read-only fields sent back from a GET and ignores them', async () => {
      const first = await create(basic());
      const again = await create({
        ...first.body,
        id: 'ignored',
        attendees_count: 99,
        start_time: futureIso(50),
        date: undefined,
        end_time: undefined,
      });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
      expect(again.body.attendees_count).toBe(0);
    });
  });

  describe('read', () => {
    it('serves public events to anyone, with and without a trailing slash', async () => {
      const { body } = await create(basic());
      for (const path of [`/api/events/${body.id}`, `/api/events/${body.id}/`]) {
        const reply = await ev.api.get(path);
        expect(reply.status).toBe(200);
        expect(reply.body.id).toBe(body.id);
      }
      const missing = await ev.api.get('/api/events/does-not-exist');
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('Not found.');
    });

    it('shows invite-only events only to the host, co-hosts, participants and invitees', async () => {
      const { body } = await create(basic({ visibility: 'invite_only', max_participants: 5 }));
      const id = body.id as string;
      const stranger = testUser('stranger');
      const invitee = testUser('invitee');
      const participant = testUser('participant');
      const co = testUser('co');
      const byEmail = testUser('by-email');
      expect((await ev.api.get(`/api/events/${id}`)).status).toBe(404);
      expect((await ev.api.get(`/api/events/${id}`, { token: await ev.token(stranger) })).status).toBe(404);
      expect((await ev.api.get(`/api/events/${id}`, { token: hostToken })).status).toBe(200);

      const start = body.start_time as string;
      await bus.publish([
        invitationSent({ id, start_time: start }, { user_id: invitee.id, email: invitee.email, name: invitee.name }),
        // Invited by address only (no account known to the inviter): reached by the email claim.
        invitationSent(
          { id, start_time: start },
          { user_id: null, email: byEmail.email.toUpperCase(), name: byEmail.name },
        ),
        invitationAccepted(
          { id, start_time: start },
          { user_id: participant.id, email: participant.email, name: participant.name },
        ),
        invitationAccepted(
          { id, start_time: start },
          { user_id: co.id, email: co.email, name: co.name },
          { role: 'cohost' },
        ),
      ]);
      for (const user of [invitee, participant, co, byEmail]) {
        const token = await ev.token(user);
        await eventually(
          async () => (await ev.api.get(`/api/events/${id}`, { token })).status === 200,
          15_000,
          `${user.name} can read`,
        );
      }
      // Lists show what a read allows: not to anonymous callers or strangers; to the host, co-hosts,
      // participants and invitees (also one invited by email alone), in /events and /upcoming.
      const listed = async (path: string, token?: string) =>
        (await ev.api.get<Page>(path, token ? { token } : {})).body.results.map((e) => e.id);
      const byHost = `/api/events?host=${host.id}&page_size=100`;
      expect(await listed(byHost)).not.toContain(id);
      expect(await listed(byHost, await ev.token(stranger))).not.toContain(id);
      expect(await listed(byHost, hostToken)).toContain(id);
      for (const user of [invitee, participant, co, byEmail]) {
        const token = await ev.token(user);
        expect(await listed(byHost, token), `${user.name} lists it`).toContain(id);
        expect(await listed(`/api/events/upcoming?host=${host.id}&page_size=100`, token)).toContain(id);
      }

      // Registering follows the same rule (the register shortcut moves only on public events; this
      // one is read and checked first): a stranger gets 404 and leaves nothing behind, invitees a seat.
      const refused = await ev.api.post(`/api/events/${id}/register`, undefined, { token: await ev.token(stranger) });
      expect([refused.status, refused.body.detail]).toEqual([404, 'Not found.']);
      expect(await ev.service.store.registrations.countDocuments({ event_id: id, user_key: stranger.id })).toBe(0);
      for (const user of [invitee, byEmail]) {
        const reply = await ev.api.post(`/api/events/${id}/register`, undefined, { token: await ev.token(user) });
        expect([reply.status, reply.body.status], `${user.name} registers`).toEqual([201, 'confirmed']);
        expect(reply.body.user).toBe(user.id);
      }
    }, 30_000);

    it('exports one event as iCalendar', async () => {
      const { body } = await create(basic({ title: 'Calendar; test' }));
      const reply = await ev.api.get(`/api/events/${body.id}/calendar.ics`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toContain('text/calendar');
      expect(reply.headers.get('content-disposition')).toContain('.ics');
      expect(reply.text).toContain('BEGIN:VEVENT');
      expect(reply.text).toContain('SUMMARY:Calendar\\; test');
      expect(reply.text).toContain(`UID:${body.id}@convene`);
    });
  });

  describe('update and delete', () => {
    it('PATCH changes some fields (legacy names too); PUT needs them all; only the host or a co-host may', async () => {
      const { body } = await create(basic());
      const id = body.id as string;
      ev.clock.advance(60_000); // so a changed updated_at cannot be mistaken for the old one
      const patched = await ev.api.patch(
        `/api/events/${id}/`,
        { max_attendees: 200, location: 'Updated location' },
        { token: hostToken },
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ max_participants: 200, available_spots: 200, location: 'Updated location' });
      expect(
        Date.parse(patched.body.updated_at as string) - Date.parse(body.updated_at as string),
      ).toBeGreaterThanOrEqual(60_000);

      const partialPut = await ev.api.put(`/api/events/${id}`, { title: 'Only a title' }, { token: hostToken });
      expect(partialPut.status).toBe(400);
      expect(Object.keys(partialPut.body.errors as Json).sort()).toEqual([
        'location',
        'max_participants',
        'start_time',
      ]);
      const put = await ev.api.put(`/api/events/${id}`, basic({ title: 'Renamed', start_time: body.start_time }), {
        token: hostToken,
      });
      expect(put.status).toBe(200);
      expect(put.body.title).toBe('Renamed');

      const stranger = await ev.token(testUser('stranger'));
      const denied = await ev.api.patch(`/api/events/${id}`, { title: 'Mine now' }, { token: stranger });
      expect(denied.status).toBe(403);
      expect(denied.body.detail).toBe('You do not have permission to perform this action.');
      expect((await ev.api.patch(`/api/events/${id}`, { title: 'x' })).status).toBe(401);

      const end = await ev.api.patch(`/api/events/${id}`, { end_time: body.start_time }, { token: hostToken });
      expect(end.body.errors).toMatchObject({ end_time: ['End time must be after start time.'] });

      await until(() =>
        receivedOf(probe, 'event.updated').some(
          (m) => m.data.event_id === id && m.data.changed.includes('max_participants'),
        ),
      );
    });

    it('never lets the capacity drop below the seats taken', async () => {
      const { body } = await create(basic({ max_participants: 3 }));
      const id = body.id as string;
      for (const name of ['a', 'b']) {
        expect(
          (await ev.api.post(`/api/events/${id}/register`, undefined, { token: await ev.token(testUser(name)) }))
            .status,
        ).toBe(201);
      }
      const tooLow = await ev.api.patch(`/api/events/${id}`, { max_participants: 1 }, { token: hostToken });
      expect(tooLow.status).toBe(400);
      expect((tooLow.body.errors as Record<string, string[]>).max_participants![0]).toMatch(
        /not below the number of seats already taken \(2\)/,
      );
      const exact = await ev.api.patch(`/api/events/${id}`, { max_participants: 2 }, { token: hostToken });
      expect(exact.body).toMatchObject({ max_participants: 2, available_spots: 0, attendees_count: 2 });
    });

    it('deactivating announces event.cancelled', async () => {
      const { body } = await create(basic());
      const reply = await ev.api.patch(`/api/events/${body.id}`, { is_active: false }, { token: hostToken });
      expect(reply.body.is_active).toBe(false);
      await until(() => receivedOf(probe, 'event.cancelled').some((m) => m.data.event_id === body.id));
    });

    it('DELETE is for the host only (204), the event is gone, and event.deleted is announced', async () => {
      const { body } = await create(basic());
      const id = body.id as string;
      expect((await ev.api.delete(`/api/events/${id}`, { token: await ev.token(testUser('x')) })).status).toBe(403);
      const deleted = await ev.api.delete(`/api/events/${id}/`, { token: hostToken });
      expect(deleted.status).toBe(204);
      expect((await ev.api.get(`/api/events/${id}`)).status).toBe(404);
      expect((await ev.api.delete(`/api/events/${id}`, { token: hostToken })).status).toBe(404);
      await until(() => receivedOf(probe, 'event.deleted').some((m) => m.data.event_id === id));
      // The purge (recovery job) removes it for good once announced: run it once the outbox is
      // empty rather than waiting for its timer (which may have purged it already).
      await eventually(
        async () => {
          const doc = await ev.service.store.events.findById(id).lean();
          return !doc || doc.outbox_at === null;
        },
        20_000,
        'event.deleted published',
      );
      await ev.service.jobs.recovery.runNow();
      expect(await ev.service.store.events.exists({ _id: id })).toBeNull();
      expect(await ev.service.store.registrations.countDocuments({ event_id: id })).toBe(0);
    }, 30_000);
  });

  describe('list', () => {
    // A host of its own keeps these events apart from the rest of the file.
    const lister: TestUser = testUser('lister');
    let token: string;
    const ids: Record<string, string> = {};
    const day = (n: number) => new Date(Date.UTC(2031, 0, n, 10)).toISOString();

    beforeAll(async () => {
      token = await ev.token(lister);
      const specs: Array<[string, Json]> = [
        [
          'django',
          {
            description: '',
            title: 'Django Conference',
            location: 'San Francisco, CA',
            start_time: day(10),
            end_time: day(11),
            max_participants: 2,
          },
        ],
        [
          'python',
          {
            description: '',
            title: 'Python Workshop',
            location: 'Tech Hub, New York',
            start_time: day(5),
            max_participants: 1,
          },
        ],
        [
          'rust',
          {
            title: 'Rust Meetup',
            location: 'Berlin',
            start_time: day(20),
            max_participants: 10,
            description: 'systems python-free',
          },
        ],
        [
          'inactive',
          {
            description: '',
            title: 'Archived Talk',
            location: 'New York',
            start_time: day(15),
            max_participants: 5,
            is_active: false,
          },
        ],
      ];
      for (const [key, spec] of specs) {
        const reply = await create(basic(spec), token);
        expect(reply.status).toBe(201);
        ids[key] = reply.body.id as string;
      }
      // Fill the Python workshop so it has no spots.
      await ev.api.post(`/api/events/${ids.python}/register`, undefined, { token: await ev.token(testUser('filler')) });
    });

    const list = async (query: string, opts: { token?: string } = {}) => {
      const reply = await ev.api.get<Page>(`/api/events/?organizer=${lister.id}&${query}`, opts);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body;
    };
    const titles = (page: Page) => page.results.map((e) => e.title);

    it('filters by search (title, location, description words), title and location', async () => {
      expect(titles(await list('search=pyth'))).toEqual(['Python Workshop']);
      expect(titles(await list('search=python&ordering=title'))).toEqual(['Python Workshop', 'Rust Meetup']);
      expect(titles(await list('search=django conf'))).toEqual(['Django Conference']);
      expect(titles(await list('title=django conference'))).toEqual(['Django Conference']);
      expect(titles(await list('location=new york&ordering=date'))).toEqual(['Python Workshop', 'Archived Talk']);
      expect(titles(await list('search=python&location=New York&has_spots=false'))).toEqual(['Python Workshop']);
    });

    it('filters by dates (the legacy events API date_after/date_before, the legacy participation API start/end ranges)', async () => {
      expect(titles(await list('date_after=2031-01-10&date_before=2031-01-15&ordering=date'))).toEqual([
        'Django Conference',
        'Archived Talk',
      ]);
      expect(titles(await list('date_before=2031-01-05'))).toEqual(['Python Workshop']);
      expect(titles(await list('start_after=2031-01-16T00:00:00Z'))).toEqual(['Rust Meetup']);
      expect(titles(await list('end_before=2031-01-11T10:00:00Z&ordering=date'))).toEqual([
        'Python Workshop',
        'Django Conference',
      ]);
      expect(titles(await list('end_after=2031-01-20T11:00:00Z'))).toEqual(['Rust Meetup']);
    });

    it('filters by has_spots, is_active, is_past and host', async () => {
      expect(titles(await list('has_spots=false'))).toEqual(['Python Workshop']);
      expect(titles(await list('has_spots=true&ordering=date'))).toEqual([
        'Django Conference',
        'Archived Talk',
        'Rust Meetup',
      ]);
      expect(titles(await list('is_active=false'))).toEqual(['Archived Talk']);
      expect(titles(await list('is_past=true'))).toEqual([]);
      expect((await list('is_past=false')).count).toBe(4);
      const byHost = await ev.api.get<Page>(`/api/events?host=${lister.id}`);
      expect(byHost.body.count).toBe(4);
    });

    it('orders by date, created_at and title, both ways', async () => {
      expect(titles(await list('ordering=date'))).toEqual([
        'Python Workshop',
        'Django Conference',
        'Archived Talk',
        'Rust Meetup',
      ]);
      expect(titles(await list('ordering=-start_time'))).toEqual([
        'Rust Meetup',
        'Archived Talk',
        'Django Conference',
        'Python Workshop',
      ]);
      expect(titles(await list('ordering=title'))).toEqual([
        'Archived Talk',
        'Django Conference',
        'Python Workshop',
        'Rust Meetup',
      ]);
      expect(titles(await list('ordering=-title'))).toEqual([
        'Rust Meetup',
        'Python Workshop',
        'Django Conference',
        'Archived Talk',
      ]);
      expect(titles(await list('ordering=created_at'))).toEqual([
        'Django Conference',
        'Python Workshop',
        'Rust Meetup',
        'Archived Talk',
      ]);
      expect(titles(await list('ordering=-created_at'))[0]).toBe('Archived Talk');
    });

    it('paginates DRF-style with next/previous links that keep the filters', async () => {
      const first = await list('ordering=date&page_size=3');
      expect(first.count).toBe(4);
      expect(first.results).toHaveLength(3);
      expect(first.previous).toBeNull();
      expect(first.next).toContain('page=2');
      expect(first.next).toContain(`organizer=${lister.id}`);
      const second = await ev.api.get<Page>(first.next!.replace(/^https?:\/\/[^/]+/, ''));
      expect(second.body.results.map((e) => e.title)).toEqual(['Rust Meetup']);
      expect(second.body.next).toBeNull();
      // The first page again, with the filters, without page=1 (like DRF).
      const previous = new URL(second.body.previous!);
      expect(previous.searchParams.get('page')).toBeNull();
      expect(previous.searchParams.get('organizer')).toBe(lister.id);
      expect(previous.searchParams.get('ordering')).toBe('date');
      expect(previous.searchParams.get('page_size')).toBe('3');
      expect((await ev.api.get(`/api/events/?organizer=${lister.id}&page=9`)).status).toBe(404);
      expect((await ev.api.get('/api/events/?page_size=abc')).status).toBe(400);
    });

    it('answers bad filters with field errors', async () => {
      const reply = await ev.api.get('/api/events?has_spots=perhaps&date_after=yesterday&ordering=price');
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.errors as Json).sort()).toEqual(['date_after', 'has_spots', 'ordering']);
    });

    it('takes counts from the event document', async () => {
      const page = await list('title=python workshop');
      expect(page.results[0]).toMatchObject({ attendees_count: 1, available_spots: 0, waitlist_count: 0 });
    });

    it('upcoming lists active events that have not started', async () => {
      const reply = await ev.api.get<Page>(`/api/events/upcoming/?organizer=${lister.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body.results.map((e) => e.title)).toEqual(['Python Workshop', 'Django Conference', 'Rust Meetup']);
    });

    it('mine (and the legacy events API my_events) lists what the user hosts or co-hosts', async () => {
      const co = testUser('co');
      await bus.publish([
        invitationAccepted(
          { id: ids.rust!, start_time: day(20) },
          { user_id: co.id, email: co.email, name: co.name },
          { role: 'cohost' },
        ),
      ]);
      const coToken = await ev.token(co);
      await eventually(async () => (await ev.api.get<Page>('/api/events/mine', { token: coToken })).body.count === 1);
      for (const path of ['/api/events/mine', '/api/events/my_events/']) {
        const reply = await ev.api.get<Page>(`${path}?ordering=date`, { token });
        expect(reply.status).toBe(200);
        expect(reply.body.results.map((e) => e.title)).toEqual([
          'Python Workshop',
          'Django Conference',
          'Archived Talk',
          'Rust Meetup',
        ]);
      }
      expect((await ev.api.get('/api/events/my_events')).status).toBe(401);
    });
  });
});
