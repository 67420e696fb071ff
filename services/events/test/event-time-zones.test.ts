import { formatInstant } from '@convene/domain-kit';
import { type TestUser, testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventForAService } from '../src/flows/read-event-for-a-service.ts';
import { futureIso, type RunningEvents, startEvents } from './support/harness.ts';
import { type Probe, receivedOf, startProbeOn, until } from './support/messages.ts';

type Json = Record<string, unknown>;
type Page = { count: number; results: Json[] };

/**
 * An event's IANA zone: accepted on create, PUT and PATCH (an unknown one is a 400 naming
 * `timezone`), shown beside the UTC instants in every view and message, used by the calendar
 * file and the CSV export's human columns, and never moving an instant.
 */

const unknownZone = (zone: string) => [`Unknown time zone "${zone}"; give an IANA name like Europe/Kyiv.`];

const body = (extra: Json = {}): Json => ({
  title: 'Compilers & Coffee',
  location: 'Kyiv, Hall A',
  start_time: futureIso(72),
  max_participants: 10,
  ...extra,
});

/** A calendar file as a client reads it: CRLF lines, unfolded (RFC 5545 §3.1). */
function contentLines(ics: string): string[] {
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line !== '');
}

/** The VTIMEZONE's observances, each as `KIND DTSTART FROM→TO`. */
function observances(lines: string[]): string[] {
  const found: string[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    const m = /^BEGIN:(STANDARD|DAYLIGHT)$/.exec(line);
    if (m) current = { kind: m[1]! };
    else if (current && /^END:(STANDARD|DAYLIGHT)$/.test(line)) {
      found.push(`${current.kind} ${current.DTSTART} ${current.TZOFFSETFROM}→${current.TZOFFSETTO}`);
      current = null;
    } else if (current) {
      const [name, value] = line.split(':');
      current[name!] = value!;
    }
  }
  return found;
}

describe('event time zones', () => {
  let ev: RunningEvents;
  let probe: Probe;
  const host = testUser('tz-host');
  let hostToken: string;
  const as = async (user: TestUser) => ({ token: await ev.token(user) });

  beforeAll(async () => {
    ev = await startEvents({ WAITLIST_INTERVAL_MS: '1h', EVENT_CREATE_LIMIT: '1000' });
    probe = await startProbeOn(ev.namespace, [
      'event.created',
      'event.updated',
      'registration.confirmed',
      'registration.waitlisted',
      'registration.cancelled',
    ]);
    hostToken = await ev.token(host);
  });
  afterAll(async () => {
    await probe?.stop();
    await ev?.stop();
  });

  const create = async (extra: Json = {}, token = hostToken) => ev.api.post('/api/events', body(extra), { token });

  describe('create', () => {
    it('keeps the zone given, in every view and in event.created, beside unmoved UTC instants', async () => {
      const start = '2027-12-10T17:23:00.000Z';
      const created = await create({ start_time: start, timezone: 'Europe/Kyiv' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ timezone: 'Europe/Kyiv', start_time: start, date: start });
      const id = created.body.id as string;
      expect((await ev.api.get(`/api/events/${id}`)).body.timezone).toBe('Europe/Kyiv');
      const listed = (await ev.api.get(`/api/events?host=${host.id}&page_size=100`)).body as unknown as Page;
      expect(listed.results.find((e) => e.id === id)?.timezone).toBe('Europe/Kyiv');
      await until(() => receivedOf(probe, 'event.created').some((m) => m.data.event_id === id));
      const message = receivedOf(probe, 'event.created').find((m) => m.data.event_id === id)!;
      expect(message.data).toMatchObject({ timezone: 'Europe/Kyiv', start_time: start });
    });

    it('stores a zone in its canonical spelling, and takes it beside the legacy events API names', async () => {
      const date = futureIso(96);
      const created = await create({
        start_time: undefined,
        max_participants: undefined,
        date,
        max_attendees: 5,
        timezone: 'america/new_york',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ timezone: 'America/New_York', date, start_time: date, max_attendees: 5 });
    });

    it('refuses a zone the runtime does not know with a 400 naming timezone, and creates nothing', async () => {
      const before = await ev.service.store.events.countDocuments({ host_id: host.id });
      for (const zone of ['Mars/Base', '', '+02:00', 'x'.repeat(80)]) {
        const refused = await create({ timezone: zone });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { timezone: unknownZone(zone) } });
      }
      expect(await ev.service.store.events.countDocuments({ host_id: host.id })).toBe(before);
    });

    it('puts an event created without a zone in the default (UTC unless configured)', async () => {
      const created = await create();
      expect(created.body.timezone).toBe('UTC');
    });
  });

  describe('update', () => {
    it('changes only how the event is shown: PATCH timezone moves no instant and announces the change', async () => {
      const created = await create({ start_time: '2027-06-01T09:00:00.000Z', end_time: '2027-06-01T11:00:00.000Z' });
      const id = created.body.id as string;
      const patched = await ev.api.patch(`/api/events/${id}`, { timezone: 'Pacific/Kiritimati' }, { token: hostToken });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        timezone: 'Pacific/Kiritimati',
        start_time: '2027-06-01T09:00:00.000Z',
        end_time: '2027-06-01T11:00:00.000Z',
      });
      const stored = await ev.service.store.events.findById(id).lean();
      expect([stored!.timezone, stored!.start_time.toISOString(), stored!.end_time.toISOString()]).toEqual([
        'Pacific/Kiritimati',
        '2027-06-01T09:00:00.000Z',
        '2027-06-01T11:00:00.000Z',
      ]);
      await until(() => receivedOf(probe, 'event.updated').some((m) => m.data.event_id === id));
      const updates = receivedOf(probe, 'event.updated').filter((m) => m.data.event_id === id);
      expect(updates.map((m) => [m.data.changed, m.data.timezone, m.data.start_time, m.data.end_time])).toEqual([
        [['timezone'], 'Pacific/Kiritimati', '2027-06-01T09:00:00.000Z', '2027-06-01T11:00:00.000Z'],
      ]);
    });

    it('takes the zone in a PUT, and a PUT without one keeps the zone the event has', async () => {
      const id = (await create({ timezone: 'Europe/Kyiv' })).body.id as string;
      const replaced = await ev.api.put(`/api/events/${id}`, body({ timezone: 'Asia/Tokyo' }), { token: hostToken });
      expect([replaced.status, replaced.body.timezone]).toEqual([200, 'Asia/Tokyo']);
      const again = await ev.api.put(`/api/events/${id}`, body({ title: 'Renamed' }), { token: hostToken });
      expect([again.status, again.body.timezone, again.body.title]).toEqual([200, 'Asia/Tokyo', 'Renamed']);
    });

    it('refuses an unknown zone in a PATCH with a 400 naming timezone and leaves the event as it was', async () => {
      const id = (await create({ timezone: 'Europe/Kyiv' })).body.id as string;
      const refused = await ev.api.patch(`/api/events/${id}`, { timezone: 'Mars/Base' }, { token: hostToken });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { timezone: unknownZone('Mars/Base') } });
      expect((await ev.api.get(`/api/events/${id}`)).body.timezone).toBe('Europe/Kyiv');
    });

    it('reads an event stored before events had zones in the default zone', async () => {
      const id = (await create({ timezone: 'Europe/Kyiv' })).body.id as string;
      // What an older document looks like: no zone at all.
      await ev.service.store.events.collection.updateOne({ _id: id as never }, { $unset: { timezone: '' } });
      expect((await ev.api.get(`/api/events/${id}`)).body.timezone).toBe('UTC');
    });
  });

  describe('registration messages', () => {
    it("carry the event's zone in their event facts", async () => {
      const id = (await create({ timezone: 'Europe/Kyiv', max_participants: 1 })).body.id as string;
      const ann = testUser('tz-ann');
      const bob = testUser('tz-bob');
      expect((await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann))).status).toBe(201);
      expect((await ev.api.post(`/api/events/${id}/register`, { waitlist: true }, await as(bob))).status).toBe(201);
      expect((await ev.api.post(`/api/events/${id}/unregister`, undefined, await as(ann))).status).toBeLessThan(300);
      const ofEvent = () =>
        probe.received.filter(
          (m) =>
            m.type.startsWith('registration.') && (m.data as { event?: { event_id: string } }).event?.event_id === id,
        );
      await until(() =>
        ['registration.confirmed', 'registration.waitlisted', 'registration.cancelled'].every((type) =>
          ofEvent().some((m) => m.type === type),
        ),
      );
      for (const message of ofEvent()) {
        expect([message.type, (message.data as { event: { timezone: string } }).event.timezone]).toEqual([
          message.type,
          'Europe/Kyiv',
        ]);
      }
    });
  });

  describe('list filters', () => {
    // Kiritimati is UTC+14, Pago Pago UTC-11: each event's local day differs from its UTC day, and
    // the filters (a YYYY-MM-DD bound is a UTC day) go by the instant, whatever the zone.
    const farHost = testUser('tz-far-host');
    let kiritimati: string;
    let pagoPago: string;
    const ids = async (query: string) =>
      ((await ev.api.get(`/api/events?host=${farHost.id}&${query}`)).body as unknown as Page).results.map((e) => e.id);

    beforeAll(async () => {
      const token = await ev.token(farHost);
      // Monday 11 January 2027, 09:00 in Kiritimati = Sunday 10 January 19:00 UTC.
      const k = await create(
        { start_time: '2027-01-10T19:00:00Z', end_time: '2027-01-10T21:00:00Z', timezone: 'Pacific/Kiritimati' },
        token,
      );
      // Sunday 10 January 2027, 20:00 in Pago Pago = Monday 11 January 07:00 UTC.
      const p = await create(
        { start_time: '2027-01-11T07:00:00Z', end_time: '2027-01-11T09:00:00Z', timezone: 'Pacific/Pago_Pago' },
        token,
      );
      expect([k.status, p.status]).toEqual([201, 201]);
      kiritimati = k.body.id as string;
      pagoPago = p.body.id as string;
      expect(formatInstant(k.body.start_time as string, 'Pacific/Kiritimati')).toMatch(/^Mon, 11 Jan 2027, 09:00/);
      expect(formatInstant(p.body.start_time as string, 'Pacific/Pago_Pago')).toMatch(/^Sun, 10 Jan 2027, 20:00/);
    });

    it('date_after and date_before take the UTC day of the instant, not the local day', async () => {
      expect(await ids('date_after=2027-01-11')).toEqual([pagoPago]);
      expect(await ids('date_before=2027-01-10')).toEqual([kiritimati]);
      expect(await ids('date_after=2027-01-10&date_before=2027-01-10')).toEqual([kiritimati]);
    });

    it('start, end and date-time bounds compare instants', async () => {
      expect(await ids('start_after=2027-01-10T20:00:00Z')).toEqual([pagoPago]);
      expect(await ids('start_before=2027-01-11T06:59:59Z')).toEqual([kiritimati]);
      expect(await ids('end_before=2027-01-10T21:00:00Z')).toEqual([kiritimati]);
      expect(await ids('end_after=2027-01-11T08:00:00%2B00:00')).toEqual([pagoPago]);
      expect(await ids('date_after=2027-01-10T19:00:00Z&ordering=start_time')).toEqual([kiritimati, pagoPago]);
    });
  });

  describe('calendar file', () => {
    const calendar = async (id: string) => {
      const reply = await ev.api.get(`/api/events/${id}/calendar.ics`);
      expect(reply.status).toBe(200);
      return contentLines(reply.text);
    };

    it('writes a Kyiv event on the night DST starts in Kyiv wall time with TZID and a VTIMEZONE holding the change', async () => {
      // Sunday 28 March 2027: 03:00 EET becomes 04:00 EEST (01:00 UTC). 00:30 UTC is 02:30 EET,
      // 02:00 UTC is 05:00 EEST.
      const id = (
        await create({ start_time: '2027-03-28T00:30:00Z', end_time: '2027-03-28T02:00:00Z', timezone: 'Europe/Kyiv' })
      ).body.id as string;
      const lines = await calendar(id);
      expect(lines).toContain('DTSTART;TZID=Europe/Kyiv:20270328T023000');
      expect(lines).toContain('DTEND;TZID=Europe/Kyiv:20270328T050000');
      expect(lines).toContain('TZID:Europe/Kyiv');
      expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
      expect(observances(lines)).toContain('DAYLIGHT 20270328T030000 +0200→+0300');
      expect(observances(lines)).toContain('STANDARD 20271031T040000 +0300→+0200');
    });

    it('writes a Kyiv event across the night DST ends: 03:30 EEST to the repeated 03:30 EET, in UTC', async () => {
      // Sunday 31 October 2027: 04:00 EEST becomes 03:00 EET (01:00 UTC).
      const id = (
        await create({ start_time: '2027-10-31T00:30:00Z', end_time: '2027-10-31T01:30:00Z', timezone: 'Europe/Kyiv' })
      ).body.id as string;
      const lines = await calendar(id);
      expect(lines).toContain('DTSTART;TZID=Europe/Kyiv:20271031T033000');
      // 03:30 EET repeats the wall time of 03:30 EEST; a zoned time names the first, so the end is in UTC.
      expect(lines).toContain('DTEND:20271031T013000Z');
      expect(observances(lines)).toContain('STANDARD 20271031T040000 +0300→+0200');
    });

    it('shows 19:23 for an event at 19:23 in Kyiv, and keeps a UTC event in UTC instants without a VTIMEZONE', async () => {
      const kyiv = (await create({ start_time: '2027-12-10T17:23:00Z', timezone: 'Europe/Kyiv' })).body.id as string;
      expect(await calendar(kyiv)).toContain('DTSTART;TZID=Europe/Kyiv:20271210T192300');
      const utc = (await create({ start_time: '2027-12-10T17:23:00Z' })).body.id as string;
      const lines = await calendar(utc);
      expect(lines).toContain('DTSTART:20271210T172300Z');
      expect(lines.some((line) => line.includes('VTIMEZONE') || line.includes('TZID'))).toBe(false);
    });
  });

  describe('participants export', () => {
    it("gives registration and check-in times in the event's zone beside the ISO ones", async () => {
      const id = (await create({ timezone: 'Europe/Kyiv', requires_check_in: true })).body.id as string;
      const ann = testUser('tz-csv-ann');
      const reg = await ev.api.post(`/api/events/${id}/register`, undefined, await as(ann));
      const checked = await ev.api.post(`/api/events/${id}/registrations/${reg.body.id}/check-in`, undefined, {
        token: hostToken,
      });
      expect(checked.status).toBe(200);
      const csv = await ev.api.get(`/api/events/${id}/participants.csv`, { token: hostToken });
      const [header, row] = csv.text.trim().split('\r\n');
      expect(header).toBe(
        'name,email,status,registered_at,checked_in,checked_in_at,registered_at_local,checked_in_at_local',
      );
      const registeredAt = reg.body.registered_at as string;
      const checkedInAt = checked.body.checked_in_at as string;
      expect(row).toBe(
        [
          ann.name,
          ann.email,
          'confirmed',
          registeredAt,
          'true',
          checkedInAt,
          `"${formatInstant(registeredAt, 'Europe/Kyiv')}"`,
          `"${formatInstant(checkedInAt, 'Europe/Kyiv')}"`,
        ].join(','),
      );
      expect(row).toMatch(/"\w{3}, \d{1,2} \w{3} \d{4}, \d{2}:\d{2} EET"/);
    });
  });
});

describe('event time zones with DEFAULT_EVENT_TIMEZONE set', () => {
  let ev: RunningEvents;
  const host = testUser('tz-default-host');

  beforeAll(async () => {
    ev = await startEvents({ DEFAULT_EVENT_TIMEZONE: 'Europe/Kyiv', EVENT_CREATE_LIMIT: '1000' });
  });
  afterAll(async () => {
    await ev?.stop();
  });

  it('puts an event created without a zone, and one stored before events had zones, in the default', async () => {
    const token = await ev.token(host);
    const created = await ev.api.post('/api/events', body(), { token });
    expect([created.status, created.body.timezone]).toEqual([201, 'Europe/Kyiv']);
    const id = created.body.id as string;
    // Stored as given, so a later change of the default does not move this event's zone.
    expect((await ev.service.store.events.findById(id).lean())!.timezone).toBe('Europe/Kyiv');
    const older = (await ev.api.post('/api/events', body({ timezone: 'Asia/Tokyo' }), { token })).body.id as string;
    await ev.service.store.events.collection.updateOne({ _id: older as never }, { $unset: { timezone: '' } });
    expect((await ev.api.get(`/api/events/${older}`)).body.timezone).toBe('Europe/Kyiv');
    // What another service reads through on a projection miss says so too.
    expect((await readEventForAService(ev.service.flows, older)).event.timezone).toBe('Europe/Kyiv');
    const calendar = await ev.api.get(`/api/events/${older}/calendar.ics`);
    expect(calendar.text).toContain('\r\nTZID:Europe/Kyiv\r\n');
    // The host names today's default explicitly: stored, so a later default leaves it where it is.
    const named = await ev.api.patch(`/api/events/${older}`, { timezone: 'Europe/Kyiv' }, { token });
    expect([named.status, named.body.timezone]).toEqual([200, 'Europe/Kyiv']);
    expect((await ev.service.store.events.findById(older).lean())!.timezone).toBe('Europe/Kyiv');
  });
});
