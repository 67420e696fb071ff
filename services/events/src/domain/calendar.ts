/** One event as an iCalendar (RFC 5545) document, for "add to calendar". */
export interface CalendarEvent {
  id: string;
  title: string;
  description: string;
  location: string;
  start_time: Date;
  end_time: Date;
  host_name: string;
  /**
   * The address after ORGANIZER's `mailto:`: the host's own only for readers who may see it (the
   * host and co-hosts, as in every JSON view), otherwise a contact address of the platform's
   * (`organizerAddress`). Anyone may download a public event's file.
   */
  organizer_email: string;
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
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (RFC 5545 §3.2): quoted, without quotes or control characters of its own. */
function paramValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`;
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
    ...(event.organizer_email ? [`ORGANIZER;CN=${paramValue(event.host_name)}:mailto:${event.organizer_email}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    `STATUS:${event.is_active ? 'CONFIRMED' : 'CANCELLED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/**
 * Whose address a reader sees as the organizer's: the host's own for those who may see emails
 * (`maySeeEmails`: the host and co-hosts), the configured contact address for everyone else.
 */
export function organizerAddress({
  hostEmail,
  contactEmail,
  maySeeEmails,
}: {
  hostEmail: string;
  contactEmail: string;
  maySeeEmails: boolean;
}): string {
  return maySeeEmails && hostEmail ? hostEmail : contactEmail;
}

/** `noreply@<host of PUBLIC_URL>`: the contact address when CALENDAR_ORGANIZER_EMAIL is not set. */
export function defaultContactEmail(publicUrl: string): string {
  return `noreply@${new URL(publicUrl).hostname}`;
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
