import { describe, expect, it } from 'vitest';
import { calendarFileName, renderIcs } from './calendar.ts';

describe('renderIcs', () => {
  it('renders one VEVENT with escaped text, UTC times and CRLF lines folded at 75 octets', () => {
    const ics = renderIcs(
      {
        id: 'e1',
        title: 'Launch; party, with "friends"',
        description: `Line one\nLine two ${'x'.repeat(100)}`,
        location: 'Hall A',
        start_time: new Date('2030-06-15T09:00:00Z'),
        end_time: new Date('2030-06-15T11:30:00Z'),
        host_name: 'Ann',
        host_email: 'ann@example.com',
        is_active: true,
        updated_at: new Date('2030-01-01T00:00:00Z'),
      },
      new Date('2030-01-02T03:04:05Z'),
    );
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('DTSTART:20300615T090000Z\r\n');
    expect(ics).toContain('DTEND:20300615T113000Z\r\n');
    expect(ics).toContain('SUMMARY:Launch\\; party\\, with "friends"\r\n');
    expect(ics).toContain('DESCRIPTION:Line one\\nLine two');
    expect(ics).toContain('UID:e1@convene');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('makes a safe file name', () => {
    expect(calendarFileName('Django Conf 2030 / Day 1')).toBe('django-conf-2030-day-1.ics');
    expect(calendarFileName('***')).toBe('event.ics');
  });
});
