import { sealToken } from '@convene/contracts';
import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSnapshot, invitationSent, person, registration } from './support/facts.ts';
import { deliveriesFor, type Harness, header, LINK_KEY, mailTo, startHarness } from './support/harness.ts';

describe('invitation emails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('invitation.sent: one email to the invitee with the accept link, in both parts, the message escaped in HTML', async () => {
    const data = invitationSent({ message: 'Join us <script>alert("x")</script> & bring friends' });
    await h.publish('invitation.sent', data);
    const mail = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    expect(mail.subject).toBe(`${data.invited_by.name} invited you to Python Workshop`);
    expect(mail.text).toContain(data.invite_url);
    expect(mail.html).toContain(`href="${data.invite_url}"`);
    expect(mail.text).toContain('Join us <script>alert("x")</script> & bring friends');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Join us &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; bring friends');
    expect(header(mail, 'list-unsubscribe')).toMatch(/^<http:\/\/convene\.test\/api\/notifications\/unsubscribe\/.+>$/);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mailTo(h.smtp, data.invitee.email)).toHaveLength(1);
  });

  it('invitation.resent: a second email, marked as a reminder, with the new link', async () => {
    const data = invitationSent();
    await h.publish('invitation.sent', data);
    await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    const newUrl = `${data.invite_url}-2`;
    await h.publish('invitation.resent', { ...data, invite_url: newUrl, resend_count: 1 });
    const resent = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email) && m.subject.startsWith('Reminder:'));
    expect(resent.text).toContain(newUrl);
    expect(mailTo(h.smtp, data.invitee.email)).toHaveLength(2);
  });

  it('invitation.accepted and .declined: the host who invited hears of it', async () => {
    const accepted = invitationSent();
    await h.publish('invitation.accepted', { ...accepted, phone: null, accepted_at: new Date().toISOString() });
    const yes = await h.smtp.waitFor((m) => m.to.includes(accepted.invited_by.email));
    expect(yes.subject).toBe(`${accepted.invitee.name} accepted your invitation to Python Workshop`);
    expect(yes.text).toContain(accepted.invitee.email);
    expect(yes.html).toContain(accepted.invitee.email);

    const declined = invitationSent();
    await h.publish('invitation.declined', { ...declined, declined_at: new Date().toISOString() });
    const no = await h.smtp.waitFor((m) => m.to.includes(declined.invited_by.email));
    expect(no.subject).toBe(`${declined.invitee.name} declined your invitation to Python Workshop`);
    expect(mailTo(h.smtp, accepted.invited_by.email)).toHaveLength(1);
    expect(mailTo(h.smtp, declined.invited_by.email)).toHaveLength(1);
  });

  it('a sealed link is opened with INVITATION_LINK_KEY: the email carries invite_url + token', async () => {
    const data = invitationSent({ invite_url: 'http://convene.test/invite/' });
    const token = 'secret-token-123';
    await h.publish('invitation.sent', { ...data, sealed_token: sealToken(token, LINK_KEY, data.invitation_id) });
    const mail = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    expect(mail.text).toContain(`http://convene.test/invite/${token}`);
    expect(mail.html).toContain(`href="http://convene.test/invite/${token}"`);
  });

  it('invitation.reminder_due: the reminder before expiry, once', async () => {
    const data = invitationSent();
    const reminder = await h.publish('invitation.reminder_due', data);
    await h.republish(reminder);
    const mail = await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    expect(mail.subject).toBe('Your invitation to Python Workshop expires soon');
    expect(mail.text).toContain(data.invite_url);
    expect(mail.html).toContain(data.invite_url);
    // A marker after: once its email is here, the redelivered reminder has been handled too.
    const marker = invitationSent();
    await h.publish('invitation.reminder_due', marker);
    await h.smtp.waitFor((m) => m.to.includes(marker.invitee.email));
    await eventually(async () => (await deliveriesFor(h, data.invitee.email)).length === 1, { what: 'one delivery' });
    expect(mailTo(h.smtp, data.invitee.email)).toHaveLength(1);
  });
});

describe('account and registration emails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('user.invited: the set-password link, as security mail (no unsubscribe)', async () => {
    const url = 'http://convene.test/set-password/abc123';
    const email = `new-${Date.now()}@example.com`;
    await h.publish('user.invited', {
      user_id: `u-${Date.now()}`,
      username: 'newbie',
      email,
      first_name: 'New',
      last_name: 'Person',
      role: 'user',
      status: 'invited',
      invited_by: { user_id: 'admin', email: 'admin@example.com', name: 'Ada Admin' },
      set_password_url: url,
      expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      resend: false,
    });
    const mail = await h.smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe('You have been invited to Convene: set your password');
    expect(mail.text).toContain(url);
    expect(mail.html).toContain(`href="${url}"`);
    expect(mail.text).toContain('Ada Admin created a Convene account for you (username newbie)');
    expect(header(mail, 'list-unsubscribe')).toBeUndefined();
  });

  it('registration.confirmed / waitlisted / offered / promoted / cancelled: one email each to the attendee', async () => {
    const event = eventSnapshot({ title: 'Spring <Meetup>' });
    const at = new Date().toISOString();
    const cases = [
      {
        who: person('c'),
        type: 'registration.confirmed' as const,
        extra: { promoted: false, bypassed_capacity: false, registered_at: at },
        subject: 'Registration confirmed: Spring <Meetup>',
      },
      {
        who: person('w'),
        type: 'registration.waitlisted' as const,
        extra: { position: 3 },
        subject: 'You are on the waitlist for Spring <Meetup>',
        body: 'position 3',
      },
      {
        who: person('o'),
        type: 'registration.offered' as const,
        extra: { offer_expires_at: '2030-01-02T10:00:00.000Z' },
        subject: 'A seat is offered to you: Spring <Meetup>',
        body: '2 Jan 2030',
      },
      {
        who: person('p'),
        type: 'registration.confirmed' as const,
        extra: { promoted: true, bypassed_capacity: false, registered_at: at },
        subject: 'You are in: a seat opened up for Spring <Meetup>',
      },
      {
        who: person('x'),
        type: 'registration.cancelled' as const,
        extra: { previous_status: 'confirmed' as const, reason: 'unregistered' as const },
        subject: 'Registration cancelled: Spring <Meetup>',
        body: 'you cancelled your registration',
      },
    ];
    for (const c of cases) await h.publish(c.type, { ...registration(event, c.who), ...c.extra } as never);
    for (const c of cases) {
      const mail = await h.smtp.waitFor((m) => m.to.includes(c.who.email));
      expect(mail.subject).toBe(c.subject);
      expect(mail.text).toContain(`http://convene.test/e/${event.event_id}`);
      expect(mail.html).toContain('Spring &lt;Meetup&gt;');
      if (c.body) {
        expect(mail.text).toContain(c.body);
        expect(mail.html).toContain(c.body);
      }
    }
    for (const c of cases) expect(mailTo(h.smtp, c.who.email)).toHaveLength(1);
  });

  it('event.updated (time or place) and event.cancelled: every confirmed and waitlisted person, in batches', async () => {
    const event = eventSnapshot();
    const people = Array.from({ length: 7 }, (_, i) => person(`f${i}`));
    const at = new Date().toISOString();
    for (const [i, who] of people.entries()) {
      if (i < 5)
        await h.publish('registration.confirmed', {
          ...registration(event, who),
          promoted: false,
          bypassed_capacity: false,
          registered_at: at,
        });
      else await h.publish('registration.waitlisted', { ...registration(event, who), position: i - 4 });
    }
    const gone = person('gone');
    const reg = registration(event, gone);
    await h.publish('registration.confirmed', { ...reg, promoted: false, bypassed_capacity: false, registered_at: at });
    await h.smtp.waitFor((m) => m.to.includes(gone.email));
    await h.publish('registration.cancelled', { ...reg, previous_status: 'confirmed', reason: 'unregistered' });
    for (const who of [...people, gone]) await h.smtp.waitFor((m) => m.to.includes(who.email));
    await eventually(() => mailTo(h.smtp, gone.email).length === 2, { what: 'the cancellation email' });

    await h.publish('event.updated', { ...event, title: 'Only the title changed', changed: ['title'] });
    const moved = { ...event, location: 'Room 42', changed: ['location', 'start_time'] };
    await h.publish('event.updated', moved);
    for (const who of people) {
      const mail = await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Changed:'));
      expect(mail.subject).toBe('Changed: Python Workshop has a new start time, place');
      expect(mail.text).toContain('Room 42');
    }
    await h.publish('event.cancelled', { ...event, is_active: false, reason: 'The speaker is ill.' });
    for (const who of people) {
      const mail = await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Cancelled:'));
      expect(mail.text).toContain('The speaker is ill.');
    }
    // registration + change + cancellation each, and nothing for the title-only change or the person who left
    for (const who of people) expect(mailTo(h.smtp, who.email)).toHaveLength(3);
    expect(mailTo(h.smtp, gone.email)).toHaveLength(2);
  });

  it('event.reminder_due: a reminder with an .ics attachment to each confirmed attendee', async () => {
    const event = eventSnapshot({ title: 'Reminder test' });
    const who = person('r');
    const waiting = person('rw');
    await h.publish('registration.confirmed', {
      ...registration(event, who),
      promoted: false,
      bypassed_capacity: false,
      registered_at: new Date().toISOString(),
    });
    await h.publish('registration.waitlisted', { ...registration(event, waiting), position: 1 });
    await h.smtp.waitFor((m) => m.to.includes(who.email));
    await h.smtp.waitFor((m) => m.to.includes(waiting.email));
    await h.publish('event.reminder_due', { ...event, lead_minutes: 1440 });
    const mail = await h.smtp.waitFor((m) => m.to.includes(who.email) && m.subject.startsWith('Reminder:'));
    expect(mail.subject).toBe('Reminder: Reminder test starts in 24 hours');
    const ics = mail.parsed.attachments.find((a) => a.filename === 'event.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const text = ics!.content.toString('utf8');
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).toContain(`UID:${event.event_id}@convene`);
    expect(text).toContain('SUMMARY:Reminder test');
    expect(mailTo(h.smtp, who.email)).toHaveLength(2);
    expect(mailTo(h.smtp, waiting.email)).toHaveLength(1);
  });

  it('feedback.submitted: the host of the event (known from event.created) hears of it', async () => {
    const event = eventSnapshot({ title: 'Feedback test' });
    const author = person('fb');
    await h.publish('feedback.submitted', {
      feedback_id: 'fb-1',
      event_id: event.event_id,
      event_title: event.title,
      host: event.host,
      author: { ...author, user_id: author.user_id! },
      rating: 4,
      comment: 'Good <em>talk</em>',
      submitted_at: new Date().toISOString(),
    });
    const mail = await h.smtp.waitFor((m) => m.to.includes(event.host.email));
    expect(mail.subject).toBe('New feedback on Feedback test: 4 of 5');
    expect(mail.text).toContain('Good <em>talk</em>');
    expect(mail.html).toContain('Good &lt;em&gt;talk&lt;/em&gt;');
    expect(mailTo(h.smtp, event.host.email)).toHaveLength(1);
  });
});
