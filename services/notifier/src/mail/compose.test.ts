import { describe, expect, it } from 'vitest';
import type { DeliveryDoc } from '../store/delivery-model.ts';
import { EXAMPLES } from '../templates/examples.ts';
import { createRenderer } from '../templates/renderer.ts';
import { composeMail } from './compose.ts';

const opts = {
  renderer: createRenderer(),
  from: 'Convene <noreply@convene.test>',
  publicUrl: 'http://convene.test',
  unsubscribeSecret: 'a-secret-of-at-least-thirty-two-chars!',
  contactEmail: 'contact@convene.test',
  now: () => new Date('2030-07-01T10:00:00Z'),
};

function reminder(data: Record<string, unknown>): DeliveryDoc {
  const at = new Date('2030-07-01T10:00:00Z');
  return {
    _id: 'evt-1:event-reminder:ann@example.com',
    template: 'event-reminder',
    category: 'reminders',
    essential: false,
    recipient: { email: 'ann@example.com', name: 'Ann Lee', user_id: 'u-ann' },
    source: { event_id: 'evt-1', type: 'event.reminder_due', subject: 'e1' },
    data,
    inbox_links: null,
    status: 'queued',
    attempts: 0,
    attempt_log: [],
    last_error: null,
    provider_message_id: null,
    next_attempt_at: at,
    lease_until: at,
    lease_token: null,
    created_at: at,
    updated_at: at,
    sent_at: null,
  };
}

describe('composeMail', () => {
  it('sends a reminder queued with the host address (before the organizer rule) with the contact instead', () => {
    const { organizer_email: _, ...old } = EXAMPLES['event-reminder'];
    const mail = composeMail(reminder({ ...old, host_email: 'hugo.host@example.com' }), opts);
    const ics = String(mail.attachments[0]?.content);
    for (const part of [mail.html, mail.text, ics]) {
      expect(part).not.toContain('hugo.host@example.com');
      expect(part).toContain('contact@convene.test');
    }
  });

  it('keeps the organizer address a reminder was queued with', () => {
    const mail = composeMail(reminder({ ...EXAMPLES['event-reminder'], organizer_email: 'hugo@example.com' }), opts);
    expect(mail.text).toContain('hugo@example.com');
    expect(String(mail.attachments[0]?.content)).toContain('mailto:hugo@example.com');
  });

  it('sends a delivery queued with an API event link (before the public page) with the page instead', () => {
    const data = EXAMPLES['event-reminder'];
    const old = { ...data, event: { ...data.event, url: 'http://convene.test/api/events/evt-example' } };
    const mail = composeMail(reminder(old), opts);
    for (const part of [mail.html, mail.text, String(mail.attachments[0]?.content)]) {
      expect(part).not.toContain('/api/events/');
      expect(part).toContain('http://convene.test/e/evt-example');
    }
  });

  it("the reminder's calendar entry is in the event's zone", () => {
    const ics = String(composeMail(reminder(EXAMPLES['event-reminder']), opts).attachments[0]?.content);
    expect(ics).toContain('DTSTART;TZID=Europe/Kyiv:20300720T170000');
    expect(ics).toContain('BEGIN:VTIMEZONE');
  });
});
