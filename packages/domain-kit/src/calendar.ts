import { canonicalTimeZone, zoneAbbreviation, zoneOffsetMinutes } from './time.ts';

/**
 * The one iCalendar (RFC 5545) writer: events' "add to calendar" download and the notifier's
 * reminder attachment. Pure text: no I/O. An event in a zone other than UTC is written in its
 * wall time with TZID and a VTIMEZONE built from the runtime's zone data, so a calendar shows
 * the time the host chose (decision 0071).
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
  /**
   * The event's IANA zone. Absent, UTC, or a zone the runtime does not know: UTC instants
   * (`…Z`) and no VTIMEZONE, as before zones existed.
   */
  timezone?: string;
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

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const YEAR = 365 * DAY;

/** `20260329T030000`: a wall time at that UTC offset, without a zone (§3.3.5, form 1 or 3). */
export function localStamp(date: Date, offsetMinutes: number): string {
  return calendarStamp(new Date(date.getTime() + offsetMinutes * MINUTE)).replace(/Z$/, '');
}

/** `+0200`, `-1100`, `+0545` (§3.3.14). */
export function utcOffsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** A change of a zone's UTC offset: at `at` (the first minute of the new offset), `from` → `to`. */
export interface ZoneTransition {
  at: Date;
  from: number;
  to: number;
}

/**
 * The zone's offset changes between `from` and `to`, as the runtime's zone data has them: the
 * offset is read once a day and, where two days differ, the change is narrowed to its minute.
 * (A zone that changes twice within one day shows as the net change of that day.)
 */
export function zoneTransitions(zone: string, from: Date, to: Date): ZoneTransition[] {
  const found: ZoneTransition[] = [];
  const end = to.getTime();
  let before = Math.floor(from.getTime() / MINUTE) * MINUTE;
  let offset = zoneOffsetMinutes(new Date(before), zone);
  while (before < end) {
    const after = Math.min(before + DAY, Math.ceil(end / MINUTE) * MINUTE);
    const next = zoneOffsetMinutes(new Date(after), zone);
    if (next !== offset) {
      // Invariant: the old offset holds at `lo`, the new one at `hi`.
      let lo = before;
      let hi = after;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
        if (zoneOffsetMinutes(new Date(mid), zone) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: new Date(hi), from: offset, to: next });
      offset = next;
    }
    before = after;
  }
  return found;
}

/**
 * The VTIMEZONE for `zone` around an event (§3.6.5): one observance per offset change from a
 * year before the start to a year after the end, each starting at the wall time before the
 * change (the form §3.8.2.4 asks for); a change to a larger offset is DAYLIGHT, any other
 * STANDARD. When no change falls before the event (a zone without daylight saving, or one that
 * changes only later), a STANDARD observance at the window's start holds the offset then in
 * force, so the event's own times always fall under an observance.
 */
export function calendarTimeZone(zone: string, start: Date, end: Date): string[] {
  const windowStart = new Date(start.getTime() - YEAR);
  const transitions = zoneTransitions(zone, windowStart, new Date(end.getTime() + YEAR));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', at: Date, from: number, to: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${localStamp(at, from)}`,
    `TZOFFSETFROM:${utcOffsetText(from)}`,
    `TZOFFSETTO:${utcOffsetText(to)}`,
    `TZNAME:${calendarText(zoneAbbreviation(at, zone))}`,
    `END:${kind}`,
  ];
  if (!transitions.some((t) => t.at.getTime() <= start.getTime())) {
    const offset = zoneOffsetMinutes(windowStart, zone);
    lines.push(...observance('STANDARD', windowStart, offset, offset));
  }
  for (const t of transitions) lines.push(...observance(t.to > t.from ? 'DAYLIGHT' : 'STANDARD', t.at, t.from, t.to));
  lines.push('END:VTIMEZONE');
  return lines;
}

/**
 * The zone to write times in, or null for UTC instants: UTC itself, unknown names, and fixed
 * offsets (`+02:00`, which the runtime accepts but which is no zone a TZID can name — its `:` would
 * end the parameter — and has no rules a VTIMEZONE could carry).
 */
function calendarZone(timezone: string | undefined): string | null {
  const zone = timezone ? canonicalTimeZone(timezone) : null;
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return null;
  if (/^[+\-\u2212]/.test(zone) || /[";:,]/.test(zone)) return null;
  return zone;
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

/**
 * Whether the wall time of `at` in `zone` also happened earlier (the hour repeated when clocks go
 * back): a zoned DATE-TIME names the first occurrence (RFC 5545 §3.3.5), so such an instant is
 * written in UTC instead.
 */
function isSecondOccurrence(at: Date, zone: string): boolean {
  const offset = zoneOffsetMinutes(at, zone);
  const wall = at.getTime() + offset * 60_000;
  const DAY = 86_400_000;
  for (const other of new Set([zoneOffsetMinutes(new Date(at.getTime() - DAY), zone), offset])) {
    const earlier = wall - other * 60_000;
    if (earlier < at.getTime() && zoneOffsetMinutes(new Date(earlier), zone) === other) return true;
  }
  return false;
}

/** A VCALENDAR with one VEVENT, CRLF line ends, folded. `productId` names the writer (PRODID). */
export function renderCalendar(entry: CalendarEntry, { now, productId }: { now: Date; productId: string }): string {
  const zone = calendarZone(entry.timezone);
  const when = (name: 'DTSTART' | 'DTEND', at: Date) =>
    zone && !isSecondOccurrence(at, zone)
      ? `${name};TZID=${zone}:${localStamp(at, zoneOffsetMinutes(at, zone))}`
      : `${name}:${calendarStamp(at)}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(zone ? calendarTimeZone(zone, entry.start, entry.end) : []),
    'BEGIN:VEVENT',
    `UID:${entry.uid}@convene`,
    `DTSTAMP:${calendarStamp(now)}`,
    ...(entry.updatedAt ? [`LAST-MODIFIED:${calendarStamp(entry.updatedAt)}`] : []),
    when('DTSTART', entry.start),
    when('DTEND', entry.end),
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
