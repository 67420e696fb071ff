import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSnapshot, invitationSent, person, registration } from './support/facts.ts';
import { type Harness, startHarness } from './support/harness.ts';

const KYIV = 'Europe/Kyiv';
/** Undoes RFC 5545 folding: a CRLF followed by one space joins the lines. */
const unfolded = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

/**
 * Europe/Kyiv moves from EET (UTC+2) to EEST (UTC+3) at 01:00 UTC on the last Sunday of March and
 * back at 01:00 UTC on the last Sunday of October: an hour either side of the change reads
 * differently, and in October two instants an hour apart share a wall-clock time.
 */
describe('times in emails, in the event’s zone across a DST change', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('the invitation email shows a span across the spring change and its deadline in Kyiv time, in both parts', async () => {
    const data = invitationSent({
      event_start_time: '2026-03-29T00:30:00.000Z',
      event_end_time: '2026-03-29T01:30:00.000Z',
      event_timezone: KYIV,
      expires_at: '2026-03-28T22:00:00.000Z',
    });
    await h.publish('invitation.sent', data);
    const mail = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Sun, 29 Mar 2026, 02:30 EET – 04:30 EEST');
      expect(part).toContain('open until Sun, 29 Mar 2026, 00:00 EET');
      expect(part).not.toContain('UTC');
      expect(part).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    expect(mail.text).toContain(`http://convene.test/e/${data.event_id}`);
    expect(mail.html).toContain(`href="http://convene.test/e/${data.event_id}"`);
  });

  it('the autumn change: the same wall-clock time an hour apart is told apart by its abbreviation', async () => {
    const data = invitationSent({
      event_start_time: '2026-10-25T00:30:00.000Z',
      event_end_time: '2026-10-25T01:30:00.000Z',
      event_timezone: KYIV,
    });
    await h.publish('invitation.sent', data);
    const mail = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    expect(mail.text).toContain('When:  Sun, 25 Oct 2026, 03:30 EEST – 03:30 EET');
    expect(mail.html).toContain('Sun, 25 Oct 2026, 03:30 EEST – 03:30 EET');
  });

  it('the event reminder shows Kyiv time and its .ics carries the zone (TZID with a VTIMEZONE)', async () => {
    const event = eventSnapshot({
      title: 'Compilers & Coffee',
      start_time: '2026-03-29T00:30:00.000Z',
      end_time: '2026-03-29T01:30:00.000Z',
      timezone: KYIV,
    });
    const who = person('kr');
    await h.publish('registration.confirmed', {
      ...registration(event, who),
      promoted: false,
      bypassed_capacity: false,
      registered_at: new Date().toISOString(),
    });
    const confirmed = await h.smtp.waitFor((m) => m.to.includes(who.email));
    expect(confirmed.text).toContain('Sun, 29 Mar 2026, 02:30 EET – 04:30 EEST');
    await h.publish('event.reminder_due', { ...event, lead_minutes: 60 });
    const mail = await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Reminder:'));
    for (const part of [mail.text, mail.html]) expect(part).toContain('Sun, 29 Mar 2026, 02:30 EET – 04:30 EEST');
    const ics = mail.parsed.attachments.find((a) => a.filename === 'event.ics');
    expect(ics, 'the .ics attachment').toBeDefined();
    const lines = unfolded(ics!.content.toString('utf8'));
    expect(lines).toContain('DTSTART;TZID=Europe/Kyiv:20260329T023000');
    expect(lines).toContain('DTEND;TZID=Europe/Kyiv:20260329T043000');
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('TZID:Europe/Kyiv');
    expect(lines).toContain(`URL:http://convene.test/e/${event.event_id}`);
  });

  it('a recipient whose profile is in Berlin sees Kyiv time and their own; one in Kyiv sees it once', async () => {
    const berliner = person('berlin');
    const local = person('kyivan');
    const profile = (who: typeof berliner, timezone: string) => ({
      user_id: who.user_id!,
      username: who.email.split('@')[0]!,
      email: who.email,
      first_name: who.name,
      last_name: '',
      role: 'user' as const,
      status: 'active' as const,
      timezone,
      locale: null,
    });
    await h.publish('user.registered', profile(berliner, 'Europe/Berlin'));
    await h.publish('user.registered', profile(local, KYIV));
    // The email is composed from the projection: wait until it knows both profiles.
    const recipients = h.replicas[0]!.service.store.recipients;
    await eventually(
      async () => (await recipients.countDocuments({ _id: { $in: [berliner.user_id, local.user_id] } })) === 2,
      {
        what: 'both profiles remembered',
      },
    );
    const when = {
      event_start_time: '2026-03-29T00:30:00.000Z',
      event_end_time: '2026-03-29T01:30:00.000Z',
      event_timezone: KYIV,
      expires_at: '2026-03-28T22:00:00.000Z',
    };
    const toBerlin = invitationSent({ ...when, invitee: { ...berliner, user_id: null } });
    const toKyiv = invitationSent({ ...when, invitee: local });
    await h.publish('invitation.sent', toBerlin);
    await h.publish('invitation.sent', toKyiv);

    const theirs = await h.smtp.waitFor((m) => m.to.includes(berliner.email));
    for (const part of [theirs.text, theirs.html]) {
      // Berlin is an hour behind Kyiv on both sides of the change (both zones move at 01:00 UTC).
      expect(part).toContain('Sun, 29 Mar 2026, 02:30 – 04:30 Kyiv time (01:30 – 03:30 yours)');
      expect(part).toContain('open until Sun, 29 Mar 2026, 00:00 Kyiv time (Sat 28 Mar, 23:00 yours)');
    }
    const ours = await h.smtp.waitFor((m) => m.to.includes(local.email));
    expect(ours.text).toContain('Sun, 29 Mar 2026, 02:30 EET – 04:30 EEST');
    expect(ours.text).not.toContain('yours');
  });
});
