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
  const known = canonicalNames.get(zone);
  if (known !== undefined) return known;
  const answer = canonicalOf(zone);
  if (canonicalNames.size < 5000) canonicalNames.set(zone, answer);
  return answer;
}

// Each answer builds an Intl formatter, which costs far more than a lookup, and every email and
// page render asks again for the same few zones.
const canonicalNames = new Map<string, string | null>();

function canonicalOf(zone: string): string | null {
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

/** The zone a message or answer names, UTC when it names none or one this runtime does not know. */
export function zoneOrUtc(value: unknown): string {
  return (typeof value === 'string' && canonicalTimeZone(value)) || 'UTC';
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

// A calendar's VTIMEZONE asks for hundreds of offsets in one zone: read from one cached formatter.
const WALL_CLOCK: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** The zone's offset from UTC at that instant, in minutes (Europe/Kyiv in winter: 120). */
export function zoneOffsetMinutes(at: Date | string, zone: string): number {
  const instant = asDate(at);
  const parts = formatter(zone, 'en-US', WALL_CLOCK).formatToParts(instant);
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

/** The reader's zone when it is one the runtime knows and its clock differs from the event's at any of `instants`. */
function readerZoneIfDifferent(
  instants: Date[],
  eventZone: string,
  readerZone: string | null | undefined,
): string | null {
  if (!readerZone || !isTimeZone(readerZone)) return null;
  return instants.some((at) => zoneOffsetMinutes(at, readerZone) !== zoneOffsetMinutes(at, eventZone))
    ? readerZone
    : null;
}

const clock = (at: Date, zone: string, locale: string | null | undefined) => formatter(zone, locale, CLOCK).format(at);

/** The reader's clock, with their day in front when it is not the event's day ("Sat 28 Mar, 23:00"). */
function readerClock(at: Date, eventZone: string, readerZone: string, locale: string | null | undefined): string {
  if (formatDay(at, readerZone, locale) === formatDay(at, eventZone, locale)) return clock(at, readerZone, locale);
  const day = formatter(readerZone, locale, { weekday: 'short', day: 'numeric', month: 'short' }).format(at);
  return `${day}, ${clock(at, readerZone, locale)}`;
}

/**
 * One instant for a reader who set their own zone: "Thu, 10 Dec 2026, 19:23 Kyiv time (18:23
 * yours)" when their clock differs from the event's — with their day too when it is another day
 * for them ("… 00:00 Kyiv time (Sat 28 Mar, 23:00 yours)") — else the event's day and time alone.
 */
export function formatForReader(
  at: Date | string,
  eventZone: string,
  readerZone: string | null | undefined,
  locale?: string | null,
): string {
  const instant = asDate(at);
  const theirs = readerZoneIfDifferent([instant], eventZone, readerZone);
  if (!theirs) return formatInstant(instant, eventZone, locale);
  const ours = `${formatDay(instant, eventZone, locale)}, ${clock(instant, eventZone, locale)} ${zoneCity(eventZone)} time`;
  return `${ours} (${readerClock(instant, eventZone, theirs, locale)} yours)`;
}

/**
 * When an event happens, for a reader: formatSpan in the event's zone; a reader in another zone
 * also gets their own clock, "Thu, 10 Dec 2026, 19:23 – 21:00 Kyiv time (18:23 – 20:00 yours)".
 * A span across local days gives both ends in full.
 */
export function formatSpanForReader(
  start: Date | string,
  end: Date | string,
  eventZone: string,
  readerZone: string | null | undefined,
  locale?: string | null,
): string {
  const from = asDate(start);
  const to = asDate(end);
  const theirs = readerZoneIfDifferent([from, to], eventZone, readerZone);
  if (!theirs) return formatSpan(from, to, eventZone, locale);
  if (formatDay(from, eventZone, locale) !== formatDay(to, eventZone, locale)) {
    return `${formatForReader(from, eventZone, theirs, locale)} – ${formatForReader(to, eventZone, theirs, locale)}`;
  }
  const ours = `${formatDay(from, eventZone, locale)}, ${clock(from, eventZone, locale)} – ${clock(to, eventZone, locale)}`;
  const yours = `${readerClock(from, eventZone, theirs, locale)} – ${readerClock(to, eventZone, theirs, locale)}`;
  return `${ours} ${zoneCity(eventZone)} time (${yours} yours)`;
}
