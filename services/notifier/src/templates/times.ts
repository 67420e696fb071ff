import {
  formatDay,
  formatInstant,
  formatSpan,
  isTimeZone,
  usableLocale,
  zoneCity,
  zoneOffsetMinutes,
} from '@convene/domain-kit';
import type { Reader } from './catalogue.ts';

/** A zone the runtime knows, else UTC (a message could carry a name this runtime's zone data lacks). */
const known = (zone: string | null | undefined) => (zone && isTimeZone(zone) ? zone : 'UTC');

function clock(at: Date, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(at);
}

/** The reader's clock, with their day in front when it is not the event's day ("Sat 28 Mar, 23:00"). */
function readerClock(at: Date, eventZone: string, readerZone: string, locale: string): string {
  if (formatDay(at, readerZone, locale) === formatDay(at, eventZone, locale)) return clock(at, readerZone, locale);
  const day = new Intl.DateTimeFormat(locale, {
    timeZone: readerZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return `${day.format(at)}, ${clock(at, readerZone, locale)}`;
}

/** The reader's own zone when they have one whose clock differs from the event's at any of these instants. */
function readerZoneIfDifferent(instants: Date[], zone: string, reader: Reader | undefined): string | null {
  const theirs = reader?.timezone;
  if (!theirs || !isTimeZone(theirs)) return null;
  return instants.some((at) => zoneOffsetMinutes(at, theirs) !== zoneOffsetMinutes(at, zone)) ? theirs : null;
}

/**
 * One instant for this reader: in the event's zone with its abbreviation ("Sun, 29 Mar 2026,
 * 04:30 EEST"), or, for a reader whose own zone differs, "Sun, 29 Mar 2026, 04:30 Kyiv time
 * (03:30 yours)" — with the reader's day too when the two zones are on different days.
 */
export function instantForReader(at: string, eventZone: string, reader: Reader | undefined): string {
  const zone = known(eventZone);
  const locale = usableLocale(reader?.locale);
  const instant = new Date(at);
  const theirs = readerZoneIfDifferent([instant], zone, reader);
  if (!theirs) return formatInstant(instant, zone, locale);
  const ours = `${formatDay(instant, zone, locale)}, ${clock(instant, zone, locale)} ${zoneCity(zone)} time`;
  return `${ours} (${readerClock(instant, zone, theirs, locale)} yours)`;
}

/**
 * When an event happens, for this reader: "Thu, 10 Dec 2026, 19:23 – 21:00 EET" in the event's
 * zone; a reader in another zone also gets their own clock, "Thu, 10 Dec 2026, 19:23 – 21:00 Kyiv
 * time (18:23 – 20:00 yours)". A span across local days names both days in full.
 */
export function spanForReader(
  start: string,
  end: string | null,
  eventZone: string,
  reader: Reader | undefined,
): string {
  const zone = known(eventZone);
  if (!end) return instantForReader(start, zone, reader);
  const locale = usableLocale(reader?.locale);
  const from = new Date(start);
  const to = new Date(end);
  const theirs = readerZoneIfDifferent([from, to], zone, reader);
  if (!theirs) return formatSpan(from, to, zone, locale);
  if (formatDay(from, zone, locale) !== formatDay(to, zone, locale)) {
    return `${instantForReader(start, zone, reader)} – ${instantForReader(end, zone, reader)}`;
  }
  const ours = `${formatDay(from, zone, locale)}, ${clock(from, zone, locale)} – ${clock(to, zone, locale)}`;
  const yours = `${readerClock(from, zone, theirs, locale)} – ${readerClock(to, zone, theirs, locale)}`;
  return `${ours} ${zoneCity(zone)} time (${yours} yours)`;
}
