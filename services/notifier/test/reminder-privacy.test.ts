import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSnapshot, person, registration } from './support/facts.ts';
import { type Harness, startHarness } from './support/harness.ts';

const CONTACT = 'events-desk@convene.test';
const ADDRESS = /[^\s<>()"'`:;,]+@[^\s<>()"'`:;,]+\.[A-Za-z]{2,}/g;

/** Undoes RFC 5545 folding: a CRLF followed by one space joins the lines. */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

/**
 * ORGANIZER read back by RFC 5545's grammar: `ORGANIZER;CN=<param-value>:<cal-address>`, where
 * a param-value is a quoted-string (no DQUOTE inside) or paramtext (no `"` `;` `:` `,`).
 */
function organizerOf(ics: string) {
  const lines = unfolded(ics).filter((line) => line.startsWith('ORGANIZER'));
  expect(lines).toHaveLength(1);
  const m = /^ORGANIZER;CN=(?:"([^"]*)"|([^";:,]*)):(.*)$/.exec(lines[0]!);
  if (!m) throw new Error(`ORGANIZER line does not parse: ${lines[0]}`);
  return { cn: m[1] ?? m[2], address: m[3] };
}

describe("the host's address in event reminders", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CALENDAR_ORGANIZER_EMAIL: CONTACT } });
  });
  afterAll(async () => h?.stop());

  async function remind(event: ReturnType<typeof eventSnapshot>, people: ReturnType<typeof person>[]) {
    for (const who of people) {
      await h.publish('registration.confirmed', {
        ...registration(event, who),
        promoted: false,
        bypassed_capacity: false,
        registered_at: new Date().toISOString(),
      });
      await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Registration confirmed'));
    }
    await h.publish('event.reminder_due', { ...event, lead_minutes: 60 });
    const mails = [];
    for (const who of people) {
      mails.push(await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Reminder:')));
    }
    return mails;
  }

  function partsOf(mail: Awaited<ReturnType<typeof remind>>[number]) {
    const ics = mail.parsed.attachments.find((a) => a.filename === 'event.ics');
    expect(ics, 'the .ics attachment').toBeDefined();
    return { html: mail.html, text: mail.text, ics: ics!.content.toString('utf8') };
  }

  it('an attendee sees no address but their own and the organizer contact; the host and a co-host see the host', async () => {
    const cohost = person('cora');
    const event = eventSnapshot({ title: 'Privacy check', cohost_ids: [cohost.user_id!] });
    const attendee = person('ann');
    const [toAttendee, toHost, toCohost] = await remind(event, [attendee, event.host, cohost]);

    const attendeeParts = partsOf(toAttendee!);
    for (const [part, body] of Object.entries(attendeeParts)) {
      const seen = new Set(body.match(ADDRESS) ?? []);
      seen.delete(attendee.email);
      seen.delete(CONTACT);
      expect([...seen], `addresses in the attendee's ${part}`).toEqual([]);
      expect(body, `the attendee's ${part}`).not.toContain(event.host.email);
    }
    expect(attendeeParts.text).toContain(`Contact: ${CONTACT}`);
    expect(attendeeParts.html).toContain(`Contact: ${CONTACT}`);
    expect(organizerOf(attendeeParts.ics)).toEqual({ cn: event.host.name, address: `mailto:${CONTACT}` });

    for (const mail of [toHost!, toCohost!]) {
      const parts = partsOf(mail);
      expect(parts.text).toContain(`Contact: ${event.host.email}`);
      expect(parts.html).toContain(`Contact: ${event.host.email}`);
      expect(organizerOf(parts.ics)).toEqual({ cn: event.host.name, address: `mailto:${event.host.email}` });
    }
  });

  it('a host named `A; B: "C"` makes one valid ORGANIZER line, the name quoted as a parameter', async () => {
    const event = eventSnapshot({ title: 'Odd host name', host: person('hugo', { name: 'A; B: "C"' }) });
    const attendee = person('ben');
    const [mail] = await remind(event, [attendee]);
    const { ics } = partsOf(mail!);
    expect(organizerOf(ics)).toEqual({ cn: 'A; B: C', address: `mailto:${CONTACT}` });
    expect(unfolded(ics)).toContain(`ORGANIZER;CN="A; B: C":mailto:${CONTACT}`);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });
});
