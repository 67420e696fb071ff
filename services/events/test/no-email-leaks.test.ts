import type { Bus } from '@convene/bus';
import { type TestUser, testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, futureIso, publisher, type RunningEvents, startEvents } from './support/harness.ts';
import { invitationAccepted } from './support/invitations.ts';

// Emails are for the host and co-hosts. Every answer anyone else can get about an event — JSON,
// the calendar file, the CSV export — is read here as raw text and searched for every address
// involved: the host's, a co-host's and participants', with and without accounts (those without
// are keyed by their address internally, which must not leak as an id either).

type Json = Record<string, unknown>;

let ev: RunningEvents;
let bus: Bus;
const host = testUser('host');
const cohost = testUser('cohost');
const member = testUser('member');
const stranger = testUser('stranger');
/** Accepted invitations without an account: known to events by their address only. */
const guest = { user_id: null, email: `guest-${Date.now().toString(36)}@example.com`, name: 'Guest Without Account' };
const guestCohost = {
  user_id: null,
  email: `guestco-${Date.now().toString(36)}@example.com`,
  name: 'Co-host Without Account',
};
const addresses = [host.email, cohost.email, member.email, guest.email, guestCohost.email];
let eventId: string;

beforeAll(async () => {
  ev = await startEvents({ WAITLIST_INTERVAL_MS: '1h', EVENT_CREATE_LIMIT: '1000' });
  bus = await publisher(ev.namespace);
  const hostToken = await ev.token(host);
  const created = await ev.api.post(
    '/api/events',
    { title: 'Who sees addresses', start_time: futureIso(48), location: 'Hall B', max_participants: 10 },
    { token: hostToken },
  );
  expect(created.status, created.text).toBe(201);
  eventId = created.body.id as string;
  const facts = { id: eventId, start_time: created.body.start_time as string };
  await bus.publish([
    invitationAccepted(facts, { user_id: cohost.id, email: cohost.email, name: cohost.name }, { role: 'cohost' }),
    invitationAccepted(facts, guestCohost, { role: 'cohost' }),
    invitationAccepted(facts, guest),
  ]);
  expect(
    (await ev.api.post(`/api/events/${eventId}/register`, undefined, { token: await ev.token(member) })).status,
  ).toBe(201);
  await eventually(
    async () => {
      const event = await ev.api.get(`/api/events/${eventId}`);
      const participants = await ev.api.get(`/api/events/${eventId}/participants`);
      return (event.body.cohosts as Json[]).length === 2 && participants.body.count === 2;
    },
    20_000,
    'both co-hosts and the guest are recorded',
  );
});
afterAll(async () => {
  await bus?.close();
  await ev?.stop();
});

/** Every read of the event someone may try, with what they should get. */
function reads(id: string) {
  return [
    `/api/events/${id}`,
    `/api/events?page_size=100`,
    `/api/events/upcoming?page_size=100`,
    `/api/events/${id}/participants`,
    `/api/events/${id}/participants?status=confirmed`,
    `/api/events/${id}/calendar.ics`,
    `/api/events/${id}/participants.csv`,
    `/api/events/${id}/attendees`,
  ];
}

describe('what readers who are not the host or a co-host get', () => {
  it.each([
    ['anonymous', undefined],
    ['a stranger', stranger],
    ['a participant', member],
  ] as Array<[string, TestUser | undefined]>)(
    '%s: no address anywhere, in JSON, calendar or CSV',
    async (_who, user) => {
      const token = user ? await ev.token(user) : undefined;
      const seen: string[] = [];
      for (const path of reads(eventId)) {
        const reply = await ev.api.get(path, token ? { token } : {});
        const text = reply.text.toLowerCase().replace(/\r\n[ \t]/g, '');
        for (const address of addresses) if (text.includes(address.toLowerCase())) seen.push(`${path}: ${address}`);
        if (text.includes('email:')) seen.push(`${path}: an email-keyed id`);
      }
      expect(seen).toEqual([]);
      // The reads that answer at all still answer (so the check above looked at real content).
      const event = await ev.api.get(`/api/events/${eventId}`, token ? { token } : {});
      expect((event.body.cohosts as Json[]).map((c) => c.name).sort()).toEqual([cohost.name, guestCohost.name].sort());
      const calendar = await ev.api.get(`/api/events/${eventId}/calendar.ics`, token ? { token } : {});
      expect(calendar.text).toContain('ORGANIZER;CN=');
    },
  );
});

describe('what the host and co-hosts get', () => {
  it.each([
    ['the host', host],
    ['a co-host', cohost],
  ] as Array<[string, TestUser]>)(
    '%s: the addresses, in the CSV, the participants and the calendar',
    async (_who, user) => {
      const token = await ev.token(user);
      const csv = await ev.api.get(`/api/events/${eventId}/participants.csv`, { token });
      expect(csv.status).toBe(200);
      expect(csv.text).toContain(guest.email);
      expect(csv.text).toContain(member.email);
      const participants = await ev.api.get(`/api/events/${eventId}/participants`, { token });
      expect((participants.body.results as Json[]).map((p) => p.email).sort()).toEqual(
        [guest.email, member.email].sort(),
      );
      const calendar = await ev.api.get(`/api/events/${eventId}/calendar.ics`, { token });
      expect(calendar.text.replace(/\r\n[ \t]/g, '')).toContain(`:mailto:${host.email}\r\n`);
    },
  );
});
