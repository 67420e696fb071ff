/**
 * Instants shown to people: in the event's own IANA time zone, with the zone's abbreviation or
 * offset, so "19:23 EET" means the same to everyone who reads it. The runtime's zone database
 * (Intl) is the authority on which zones exist and on their offsets, DST included.
 */

export const DEFAULT_LOCALE = 'en-GB';

/**
 * The zone's name to keep, or null when the runtime knows no such zone. A zone is an IANA name:
 * a fixed offset like `+02:00`, which the runtime also accepts, is refused (it has no
 * daylight-saving rules, and its `:` cannot stand in a calendar file's TZID). A differently cased
 * name is given its canonical form (`europe/paris` → `Europe/Paris`); a name the runtime knows
 * under an older one (`Europe/Kyiv`, resolved as `Europe/Kiev`) is kept as the host wrote it, in
 * the usual capitalisation (`europe/kyiv` → `Europe/Kyiv`).
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!zone || zone.length > 64 || /^[+\-\u2212]/.test(zone.trim())) return null;
  const resolved = resolvedZone(zone);
  if (resolved === null) return null;
  if (resolved.toLowerCase() === zone.toLowerCase()) return resolved;
  const capitalised = zone.replace(/[A-Za-z]+/g, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase());
  return resolvedZone(capitalised) === resolved && zone.toLowerCase() === zone ? capitalised : zone;
}

function resolvedZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== null;
}

/** A locale Intl can format with, else the default (a person's profile may hold anything). */
export function usableLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

const asDate = (at: Date | string) => (typeof at === 'string' ? new Date(at) : at);

// A formatter costs far more to build than to use (a CSV export formats thousands of instants in
// one zone), so each zone, locale and shape keeps the one it was given; the ones in use are few.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, locale: string | null | undefined, parts: Intl.DateTimeFormatOptions) {
  const key = `${zone}|${locale ?? ''}|${JSON.stringify(parts)}`;
  let built = formatters.get(key);
  if (!built) {
    built = new Intl.DateTimeFormat(usableLocale(locale), { timeZone: canonicalTimeZone(zone) ?? 'UTC', ...parts });
    if (formatters.size < 5000) formatters.set(key, built);
  }
  return built;
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** "Thu, 10 Dec 2026, 19:23 EET": the day and time in `zone`, with its abbreviation or offset. */
export function formatInstant(at: Date | string, zone: string, locale?: string | null): string {
  return formatter(zone, locale, { ...DAY, ...CLOCK, timeZoneName: 'short' }).format(asDate(at));
}

/** "19:23 EET": the time of day in `zone`, with its abbreviation or offset. */
export function formatClock(at: Date | string, zone: string, locale?: string | null): string {
  return formatter(zone, locale, { ...CLOCK, timeZoneName: 'short' }).format(asDate(at));
}

/** "Thu, 10 Dec 2026": the calendar day in `zone`. */
export function formatDay(at: Date | string, zone: string, locale?: string | null): string {
  return formatter(zone, locale, DAY).format(asDate(at));
}

/**
 * "Thu, 10 Dec 2026, 19:23 – 21:00 EET" when both ends fall on one local day, else both in full
 * ("Sat, 31 Oct 2026, 23:00 EEST – Sun, 1 Nov 2026, 01:00 EET"); each end carries its own
 * abbreviation, so a span across a DST change shows both.
 */
export function formatSpan(start: Date | string, end: Date | string, zone: string, locale?: string | null): string {
  const from = asDate(start);
  const to = asDate(end);
  if (formatDay(from, zone, locale) !== formatDay(to, zone, locale)) {
    return `${formatInstant(from, zone, locale)} – ${formatInstant(to, zone, locale)}`;
  }
  const startClock = formatter(zone, locale, CLOCK).format(from);
  const startZone = zoneAbbreviation(from, zone, locale);
  const endZone = zoneAbbreviation(to, zone, locale);
  const head = `${formatDay(from, zone, locale)}, ${startClock}${startZone === endZone ? '' : ` ${startZone}`}`;
  return `${head} – ${formatClock(to, zone, locale)}`;
}

/** "EET", "GMT+2", "UTC": how `zone` names itself at that instant. */
export function zoneAbbreviation(at: Date | string, zone: string, locale?: string | null): string {
  const part = formatter(zone, locale, { timeZoneName: 'short' })
    .formatToParts(asDate(at))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** "Kyiv" for Europe/Kyiv, "New York" for America/New_York, "UTC" for UTC. */
export function zoneCity(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

// Building a formatter costs far more than using one, and a calendar's VTIMEZONE asks for
// hundreds of offsets in one zone; the zones in use are few, so each keeps its formatter.
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string): Intl.DateTimeFormat {
  let clock = wallClocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone: canonicalTimeZone(zone) ?? 'UTC',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (wallClocks.size < 1000) wallClocks.set(zone, clock);
  }
  return clock;
}

/** The zone's offset from UTC at that instant, in minutes (Europe/Kyiv in winter: 120). */
export function zoneOffsetMinutes(at: Date | string, zone: string): number {
  const instant = asDate(at);
  const parts = wallClock(zone).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The time for a reader who set their own zone: "19:23 Kyiv time (18:23 yours)" when it differs
 * from the event's, else the event's day and time alone.
 */
export function formatForReader(
  at: Date | string,
  eventZone: string,
  readerZone: string | null | undefined,
  locale?: string | null,
): string {
  const inEvent = formatInstant(at, eventZone, locale);
  if (!readerZone || !isTimeZone(readerZone)) return inEvent;
  if (zoneOffsetMinutes(at, readerZone) === zoneOffsetMinutes(at, eventZone)) return inEvent;
  const theirs = formatter(readerZone, locale, CLOCK).format(asDate(at));
  const ours = formatter(eventZone, locale, CLOCK).format(asDate(at));
  return `${formatDay(at, eventZone, locale)}, ${ours} ${zoneCity(eventZone)} time (${theirs} yours)`;
}
