/**
 * The one iCalendar (RFC 5545) writer: events' "add to calendar" download and the notifier's
 * reminder attachment. Pure text: no I/O.
 */

/** One event as a VEVENT. Optional text fields left empty are left out. */
export interface CalendarEntry {
  /** Unique per event; `@convene` is appended. */
  uid: string;
  title: string;
  description?: string;
  location?: string;
  start: Date;
  end: Date;
  /** The organizer's display name (CN) and the address after `mailto:` — see `organizerAddress`. */
  organizer?: { name: string; email: string };
  url?: string;
  /** When the event last changed (LAST-MODIFIED). */
  updatedAt?: Date;
  /** STATUS: CONFIRMED or CANCELLED; left out when not given. */
  status?: 'CONFIRMED' | 'CANCELLED';
}

/** `20300615T090000Z`: a UTC date-time (RFC 5545 §3.3.5, form 2). */
export function calendarStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A TEXT value (§3.3.11): backslash, semicolon and comma escaped, every line break as `\n`. */
export function calendarText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A parameter value (§3.2): always a quoted-string, so `:` `;` `,` in it are plain characters; a
 * quoted-string cannot hold DQUOTE or control characters, so those are dropped (TEXT escapes do
 * not apply to parameters: `\;` would be read as a backslash and an end of parameter).
 */
export function calendarParam(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`;
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}

/**
 * Lines longer than 75 octets continue on the next line after a space (§3.1), split between
 * characters, never inside one's UTF-8 bytes.
 */
export function foldCalendarLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const n = utf8Length(char);
    // A continuation line's leading space is one of its 75 octets.
    if (size + n > (parts.length === 0 ? 75 : 74)) {
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

/** A VCALENDAR with one VEVENT, CRLF line ends, folded. `productId` names the writer (PRODID). */
export function renderCalendar(entry: CalendarEntry, { now, productId }: { now: Date; productId: string }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${entry.uid}@convene`,
    `DTSTAMP:${calendarStamp(now)}`,
    ...(entry.updatedAt ? [`LAST-MODIFIED:${calendarStamp(entry.updatedAt)}`] : []),
    `DTSTART:${calendarStamp(entry.start)}`,
    `DTEND:${calendarStamp(entry.end)}`,
    `SUMMARY:${calendarText(entry.title)}`,
    ...(entry.description ? [`DESCRIPTION:${calendarText(entry.description)}`] : []),
    ...(entry.location ? [`LOCATION:${calendarText(entry.location)}`] : []),
    ...(entry.organizer?.email
      ? [`ORGANIZER;CN=${calendarParam(entry.organizer.name)}:mailto:${entry.organizer.email}`]
      : []),
    ...(entry.url ? [`URL:${entry.url}`] : []),
    ...(entry.status ? [`STATUS:${entry.status}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldCalendarLine).join('\r\n')}\r\n`;
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
