import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../domain/message-types.ts';
import { EXAMPLES } from './examples.ts';
import { createRenderer } from './renderer.ts';

const frame = {
  public_url: 'http://convene.test',
  unsubscribe_url: 'http://convene.test/api/notifications/unsubscribe/t',
  preferences_url: 'http://convene.test/p',
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

  it('refuses data that does not match the template schema', () => {
    expect(() => renderer.render('registration-waitlisted', { ...EXAMPLES['registration-confirmed'] }, frame)).toThrow(
      /position/,
    );
  });
});
