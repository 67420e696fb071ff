import { describe, expect, it } from 'vitest';
import { type CalendarEvent, calendarFileName, defaultContactEmail, organizerAddress, renderIcs } from './calendar.ts';

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
        timezone: 'UTC',
        host_name: 'Ann',
        organizer_email: 'ann@example.com',
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

  it('names the organizer by a quoted CN without line breaks, and the address it is given', () => {
    const ics = renderIcs(
      { ...sample, host_name: 'Ann "A"\r\nATTENDEE:x', organizer_email: 'noreply@convene.test' },
      new Date('2030-01-02T03:04:05Z'),
    );
    expect(ics).toContain('\r\nORGANIZER;CN="Ann AATTENDEE:x":mailto:noreply@convene.test\r\n');
    expect(ics.split('\r\n').filter((line) => line.startsWith('ATTENDEE'))).toEqual([]);
  });

  it('puts no line break of its own into text values', () => {
    const ics = renderIcs({ ...sample, title: 'One\rTwo\nThree\r\nFour' }, new Date('2030-01-02T03:04:05Z'));
    expect(ics).toContain('\r\nSUMMARY:One\\nTwo\\nThree\\nFour\r\n');
  });

  it("writes an event in its zone's wall time with TZID and the zone's VTIMEZONE", () => {
    // 19:23 in Kyiv on 10 December 2026 (EET, +02:00) is 17:23 UTC.
    const ics = renderIcs(
      {
        ...sample,
        start_time: new Date('2026-12-10T17:23:00Z'),
        end_time: new Date('2026-12-10T19:00:00Z'),
        timezone: 'Europe/Kyiv',
      },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(ics).toContain('\r\nDTSTART;TZID=Europe/Kyiv:20261210T192300\r\nDTEND;TZID=Europe/Kyiv:20261210T210000\r\n');
    expect(ics).toContain('\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Kyiv\r\n');
  });

  it('makes a safe file name', () => {
    expect(calendarFileName('Django Conf 2030 / Day 1')).toBe('django-conf-2030-day-1.ics');
    expect(calendarFileName('***')).toBe('event.ics');
  });
});

describe('the organizer rule, as events imports it', () => {
  it("gives the host's address only to those who may see emails", () => {
    const facts = { hostEmail: 'ann@example.com', contactEmail: 'noreply@convene.test' };
    expect(organizerAddress({ ...facts, maySeeEmails: true })).toBe('ann@example.com');
    expect(organizerAddress({ ...facts, maySeeEmails: false })).toBe('noreply@convene.test');
    expect(defaultContactEmail('https://events.example.org:8443/app')).toBe('noreply@events.example.org');
  });
});

describe('event status', () => {
  it('marks a cancelled event CANCELLED and an active one CONFIRMED, with its LAST-MODIFIED', () => {
    const now = new Date('2030-01-02T03:04:05Z');
    expect(renderIcs(sample, now)).toContain('\r\nLAST-MODIFIED:20300101T000000Z\r\n');
    expect(renderIcs(sample, now)).toContain('\r\nSTATUS:CONFIRMED\r\n');
    expect(renderIcs({ ...sample, is_active: false }, now)).toContain('\r\nSTATUS:CANCELLED\r\n');
    expect(renderIcs(sample, now)).toContain('\r\nPRODID:-//Convene//Events//EN\r\n');
  });
});

const sample: CalendarEvent = {
  id: 'e1',
  title: 'Sample',
  description: '',
  location: '',
  start_time: new Date('2030-06-15T09:00:00Z'),
  end_time: new Date('2030-06-15T11:30:00Z'),
  timezone: 'UTC',
  host_name: 'Ann',
  organizer_email: 'ann@example.com',
  is_active: true,
  updated_at: new Date('2030-01-01T00:00:00Z'),
};
