/** One event as an iCalendar (RFC 5545) document, for "add to calendar". */
export interface CalendarEvent {
  id: string;
  title: string;
  description: string;
  location: string;
  start_time: Date;
  end_time: Date;
  host_name: string;
  host_email: string;
  is_active: boolean;
  updated_at: Date;
  url?: string;
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const n = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? 75 : 74;
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function renderIcs(event: CalendarEvent, now: Date, productId = '-//Convene//Events//EN'): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.id}@convene`,
    `DTSTAMP:${stamp(now)}`,
    `LAST-MODIFIED:${stamp(event.updated_at)}`,
    `DTSTART:${stamp(event.start_time)}`,
    `DTEND:${stamp(event.end_time)}`,
    `SUMMARY:${escapeText(event.title)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.host_email
      ? [`ORGANIZER;CN=${escapeText(event.host_name).replace(/"/g, '')}:mailto:${event.host_email}`]
      : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    `STATUS:${event.is_active ? 'CONFIRMED' : 'CANCELLED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A safe file name for Content-Disposition. */
export function calendarFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${base || 'event'}.ics`;
}
