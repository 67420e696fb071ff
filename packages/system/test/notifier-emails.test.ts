import { type CapturedMail, TestClock, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { tokenFor, until } from './invitations-support.ts';

const HOUR = 3_600_000;
type Person = Awaited<ReturnType<typeof signUp>>;

/**
 * The emails a triggering action through the gateway produces, on the real services: the host
 * hears of an accepted / declined invitation and of new feedback; every participant hears of a
 * change of place and of a cancellation. Each: exactly one email, to the right address, carrying
 * the right link in both parts.
 */
describe('notifier emails through the gateway', () => {
  let stack: SystemStack;
  const clock = new TestClock();

  beforeAll(async () => {
    stack = await startSystem({
      services: ['auth', 'events', 'invitations', 'feedback', 'notifier'],
      now: clock.now,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const mailTo = (address: string, subject: RegExp) =>
    stack.smtp.messages.filter((m) => m.to.includes(address) && subject.test(m.subject));
  const waitMail = (address: string, subject: RegExp) =>
    stack.smtp.waitFor((m) => m.to.includes(address) && subject.test(m.subject), 30_000);
  /** The public event page: what every email about an event links to, never an API address. */
  const eventLink = (event: Json) => `${stack.url}/e/${event.id}`;
  /** The event link in the text part and as an href in the HTML part. */
  const expectEventLink = (mail: CapturedMail, event: Json) => {
    expect(mail.text).toContain(eventLink(event));
    expect(mail.html).toContain(`href="${eventLink(event)}"`);
  };

  async function createEvent(host: Person, overrides: Record<string, unknown> = {}): Promise<Json> {
    const start = new Date(clock.now().getTime() + 2 * HOUR);
    const created = await stack.api.post(
      '/api/events',
      {
        title: `Mail event ${uniqueName('m')}`,
        description: 'Emails through the gateway.',
        location: 'Room 7',
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 2 * HOUR).toISOString(),
        max_participants: 10,
        ...overrides,
      },
      { token: host.token },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  it('an invitation accepted and one declined: the host gets one email for each, linking the event', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(host);
    const yes = `${uniqueName('yes')}@example.com`;
    const no = `${uniqueName('no')}@example.com`;
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [yes, no], message: 'Please come' },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const idOf = (email: string) => sent.body.created.find((i: { email: string }) => i.email === email).id as string;

    const accepted = await stack.api.post('/api/attendee-invitations/accept', {
      token: await tokenFor(stack, idOf(yes)),
      full_name: 'Yvonne Yes',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const declined = await stack.api.post('/api/attendee-invitations/reject', {
      token: await tokenFor(stack, idOf(no)),
    });
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);

    const acceptedMail = await waitMail(host.person.email, /accepted your invitation/);
    expect(acceptedMail.subject).toBe(`Yvonne Yes accepted your invitation to ${event.title}`);
    expect(acceptedMail.text).toContain(yes);
    expect(acceptedMail.html).toContain(yes);
    expectEventLink(acceptedMail, event);
    const declinedMail = await waitMail(host.person.email, /declined your invitation/);
    expect(declinedMail.subject).toContain(`declined your invitation to ${event.title}`);
    expect(declinedMail.text).toContain(no);
    expectEventLink(declinedMail, event);

    expect(mailTo(host.person.email, /accepted your invitation/)).toHaveLength(1);
    expect(mailTo(host.person.email, /declined your invitation/)).toHaveLength(1);
    // Each invitee got their invitation, and only the host hears the answers.
    expect(mailTo(yes, /invited you to/)).toHaveLength(1);
    expect(mailTo(no, /invited you to/)).toHaveLength(1);
    expect(mailTo(yes, /accepted|declined/)).toHaveLength(0);
  });

  it('feedback left by a participant: the host gets one email with the rating, linking the event', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const event = await createEvent(host);
    const registered = await stack.api.post(`/api/events/${event.id}/register`, {}, { token: guest.token });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    // Feedback opens when the event starts: the feedback service must know of the registration first.
    await stack.probe.waitFor('registration.confirmed', (e) => e.data.event.event_id === event.id);
    clock.advance(2.5 * HOUR);
    const left = await until(
      () =>
        stack.api.post(
          `/api/events/${event.id}/feedback`,
          { rating: 4, comment: 'Great <b>talks</b>' },
          {
            token: guest.token,
          },
        ),
      (r) => r.status === 201,
    );
    expect(left.body).toMatchObject({ rating: 4 });

    const mail = await waitMail(host.person.email, /New feedback on/);
    expect(mail.subject).toBe(`New feedback on ${event.title}: 4 of 5`);
    expect(mail.text).toContain('Great <b>talks</b>');
    expect(mail.html).toContain('Great &lt;b&gt;talks&lt;/b&gt;');
    expectEventLink(mail, event);
    expect(mailTo(host.person.email, /New feedback on/)).toHaveLength(1);
    expect(mailTo(guest.person.email, /New feedback on/)).toHaveLength(0);
  });

  it('a new place, then a cancellation: every confirmed and waitlisted person gets one email of each, linking the event', async () => {
    const host = await signUp(stack.api);
    const seated = await signUp(stack.api);
    const waiting = await signUp(stack.api);
    const event = await createEvent(host, { max_participants: 1 });
    const first = await stack.api.post(`/api/events/${event.id}/register`, {}, { token: seated.token });
    expect(first.body.status).toBe('confirmed');
    const second = await stack.api.post(
      `/api/events/${event.id}/register`,
      { waitlist: true },
      { token: waiting.token },
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.status).toBe('waitlisted');
    // The notifier learns who takes part from these messages: both must be mailed before the change.
    await waitMail(seated.person.email, /./);
    await waitMail(waiting.person.email, /./);

    const moved = await stack.api.patch(`/api/events/${event.id}`, { location: 'The Big Hall' }, { token: host.token });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    for (const person of [seated, waiting]) {
      const mail = await waitMail(person.person.email, /^Changed:/);
      expect(mail.subject).toBe(`Changed: ${event.title} has a new place`);
      expect(mail.text).toContain('The Big Hall');
      expect(mail.html).toContain('The Big Hall');
      expectEventLink(mail, event);
    }

    const cancelled = await stack.api.patch(`/api/events/${event.id}`, { is_active: false }, { token: host.token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    for (const person of [seated, waiting]) {
      const mail = await waitMail(person.person.email, /^Cancelled:/);
      expect(mail.subject).toBe(`Cancelled: ${event.title}`);
      expect(mail.text).toContain('has been cancelled');
      expectEventLink(mail, event);
    }
    for (const person of [seated, waiting]) {
      expect(mailTo(person.person.email, /^Changed:/)).toHaveLength(1);
      expect(mailTo(person.person.email, /^Cancelled:/)).toHaveLength(1);
    }
    // The host changed it; the host is not told.
    expect(mailTo(host.person.email, /^(Changed|Cancelled):/)).toHaveLength(0);
  });

  it('an event in Kyiv across the autumn DST change: the invitation email says Kyiv time, and every link in it is a page or its own unsubscribe', async () => {
    const host = await signUp(stack.api);
    // Europe/Kyiv leaves summer time at 01:00 UTC on 27 Oct 2030: 03:30 comes twice, an hour apart.
    const event = await createEvent(host, {
      start_time: '2030-10-27T00:30:00.000Z',
      end_time: '2030-10-27T01:30:00.000Z',
      timezone: 'Europe/Kyiv',
    });
    const invitee = `${uniqueName('kyiv')}@example.com`;
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [invitee] },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);

    const mail = await waitMail(invitee, /invited you to/);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Sun, 27 Oct 2030, 03:30 EEST – 03:30 EET');
      expect(part).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    expectEventLink(mail, event);
    const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    const bare = [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
    for (const link of [...hrefs, ...bare]) {
      const path = new URL(link).pathname;
      expect(
        /^\/(e|invite|set-password)\//.test(path) || path.startsWith('/api/notifications/unsubscribe/'),
        link,
      ).toBe(true);
    }
    expect(bare.some((link) => new URL(link).pathname.startsWith('/invite/'))).toBe(true);
  });
});
