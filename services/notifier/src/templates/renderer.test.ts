import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../domain/message-types.ts';
import { EXAMPLES } from './examples.ts';
import { createRenderer } from './renderer.ts';

const frame = {
  public_url: 'http://convene.test',
  unsubscribe_url: 'http://convene.test/api/notifications/unsubscribe/t',
};

describe('templates', () => {
  const renderer = createRenderer();

  it.each(MESSAGE_TYPES)('%s renders a subject, an HTML and a text part', (type) => {
    const out = renderer.render(type, EXAMPLES[type], frame);
    expect(out.subject.length).toBeGreaterThan(5);
    expect(out.subject).not.toContain('\n');
    expect(out.html).toContain('<html');
    expect(out.html).toContain('Hello');
    expect(out.text).toContain('Hello');
    expect(out.text).not.toContain('<p>');
  });

  it('escapes user-supplied text in HTML and leaves it readable in the text part', () => {
    const data = { ...EXAMPLES['invitation-sent'], message: '<script>alert("x")</script>' };
    const out = renderer.render('invitation-sent', { ...data, event: { ...data.event, title: '<b>T</b>' } }, frame);
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out.html).toContain('&lt;b&gt;T&lt;/b&gt;');
    expect(out.text).toContain('<script>alert("x")</script>');
    expect(out.subject).toBe('Hugo Host invited you to <b>T</b>');
  });

  it('shows the unsubscribe link only where there is one', () => {
    expect(renderer.render('registration-confirmed', EXAMPLES['registration-confirmed'], frame).text).toContain(
      frame.unsubscribe_url,
    );
    const security = renderer.render('user-invited', EXAMPLES['user-invited'], { ...frame, unsubscribe_url: null });
    expect(security.text).not.toContain('Unsubscribe');
    expect(security.text).toContain(EXAMPLES['user-invited'].set_password_url);
  });

  it("shows every time in the event's zone with its abbreviation, never as ISO or UTC", () => {
    for (const type of MESSAGE_TYPES) {
      const out = renderer.render(type, EXAMPLES[type], frame);
      for (const part of [out.html, out.text]) {
        expect(part, type).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
        // The examples' event is in Kyiv: a UTC time would be a bug (the set-password mail has no event).
        if (type !== 'user-invited') expect(part, type).not.toContain('UTC');
      }
    }
    const offered = renderer.render('registration-offered', EXAMPLES['registration-offered'], frame);
    expect(offered.text).toContain('Sat, 20 Jul 2030, 17:00 – 19:00 EEST');
    expect(offered.text).toContain('held for you until Fri, 19 Jul 2030, 17:00 EEST');
  });

  it('an event with no end shows its start alone; one with no time points at its page', () => {
    const base = EXAMPLES['registration-confirmed'];
    const noEnd = renderer.render(
      'registration-confirmed',
      { ...base, event: { ...base.event, end_time: null } },
      frame,
    );
    expect(noEnd.text).toContain('When:  Sat, 20 Jul 2030, 17:00 EEST\n');
    const noTime = renderer.render(
      'registration-confirmed',
      { ...base, event: { ...base.event, start_time: null, end_time: null } },
      frame,
    );
    expect(noTime.text).toContain('When:  see the event page');
  });

  it('a delivery queued before events had zones renders in UTC', () => {
    const { timezone: _, ...event } = EXAMPLES['registration-confirmed'].event;
    const out = renderer.render('registration-confirmed', { ...EXAMPLES['registration-confirmed'], event }, frame);
    expect(out.text).toContain('Sat, 20 Jul 2030, 14:00 – 16:00 UTC');
  });

  it("a reader in another zone also sees their own clock; one in the event's zone sees it once", () => {
    const data = { ...EXAMPLES['invitation-sent'], reader: { timezone: 'Europe/Berlin', locale: null } };
    const out = renderer.render('invitation-sent', data, frame);
    for (const part of [out.html, out.text]) {
      expect(part).toContain('Sat, 20 Jul 2030, 17:00 – 19:00 Kyiv time (16:00 – 18:00 yours)');
      expect(part).toContain('open until Sat, 13 Jul 2030, 17:00 Kyiv time (16:00 yours)');
    }
    const local = renderer.render(
      'invitation-sent',
      { ...data, reader: { timezone: 'Europe/Kyiv', locale: null } },
      frame,
    );
    expect(local.text).toContain('Sat, 20 Jul 2030, 17:00 – 19:00 EEST');
    expect(local.text).not.toContain('yours');
  });

  it("formats in the reader's locale, and in the default one when theirs is unusable", () => {
    const data = EXAMPLES['registration-confirmed'];
    const german = renderer.render(
      'registration-confirmed',
      { ...data, reader: { timezone: null, locale: 'de-DE' } },
      frame,
    );
    expect(german.text).toContain('Sa., 20. Juli 2030');
    const unusable = renderer.render(
      'registration-confirmed',
      { ...data, reader: { timezone: null, locale: 'not a locale!' } },
      frame,
    );
    expect(unusable.text).toContain('Sat, 20 Jul 2030, 17:00 – 19:00 EEST');
  });

  it('refuses data that does not match the template schema', () => {
    expect(() => renderer.render('registration-waitlisted', { ...EXAMPLES['registration-confirmed'] }, frame)).toThrow(
      /position/,
    );
  });
});
