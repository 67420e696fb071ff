import { expect } from 'vitest';
import { signUp, systemTest } from '../src/index.ts';
import { createEvent, csvRecords, tokenFor, until } from './invitations-support.ts';

const it = systemTest({ services: ['auth', 'events', 'invitations'] });

/**
 * A Kyiv host's event, as events announces it, reaches what invitations says of it: the message the
 * notifier writes the email from, the verify answer the invitation page reads (through the
 * gateway), and the CSV export's human columns.
 */
it('a Kyiv event’s zone and end reach invitation.sent, the verify answer and the CSV export', async ({ stack }) => {
  const host = await signUp(stack.api);
  const event = await createEvent(stack.api, host.token, { timezone: 'Europe/Kyiv', location: 'Kyiv, Hall A' });
  expect(event.timezone).toBe('Europe/Kyiv');
  const ada = `ada.${host.person.username}@example.org`;

  const sent = await stack.api.post(`/api/events/${event.id}/invitations`, { emails: [ada] }, { token: host.token });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const id = sent.body.created[0].id as string;
  const message = await stack.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === id);
  expect(message.data).toMatchObject({
    event_timezone: 'Europe/Kyiv',
    event_start_time: event.start_time,
    event_end_time: event.end_time,
  });

  const token = await tokenFor(stack, id);
  const verified = await stack.api.get(`/api/attendee-invitations/verify/${token}`);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  expect(verified.body).toMatchObject({
    event_start_time: event.start_time,
    event_end_time: event.end_time,
    event_timezone: 'Europe/Kyiv',
    event_location: 'Kyiv, Hall A',
    host_name: event.host_name,
    state: 'pending',
    responded_at: null,
  });
  expect(JSON.stringify(verified.body)).not.toContain(host.person.email);

  const accepted = await stack.api.post('/api/attendee-invitations/accept', { token, full_name: 'Ada' });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const seated = await until(
    () => stack.api.get(`/api/attendee-invitations/verify/${token}`),
    (r) => r.body.state !== 'accepted_pending',
  );
  expect(seated.body).toMatchObject({ status: 'accepted', state: 'accepted_confirmed', can_accept: false });

  const exported = await fetch(`${stack.url}/api/events/${event.id}/invitations.csv`, {
    headers: { authorization: `Bearer ${host.token}` },
  });
  expect(exported.status).toBe(200);
  const [row] = csvRecords(await exported.text());
  // The wall clock in Kyiv, with Kyiv's abbreviation (EET in winter, EEST in summer), never UTC's.
  const kyivClock = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit' }).format(
      new Date(iso),
    );
  expect(row!.sent).toMatch(new RegExp(`, ${kyivClock(row!.created_at!)} EES?T$`));
  expect(row!.expires).toMatch(new RegExp(`, ${kyivClock(row!.expires_at!)} EES?T$`));
  expect(row!.answered).toMatch(new RegExp(`, ${kyivClock(row!.responded_at!)} EES?T$`));
});
