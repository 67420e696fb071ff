import {
  formatDay,
  formatForReader,
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

/** Whether the reader has a zone of their own whose clock differs from the event's at any of these instants. */
function readerDiffers(
  instants: Date[],
  zone: string,
  reader: Reader | undefined,
): reader is Reader & { timezone: string } {
  const theirs = reader?.timezone;
  if (!theirs || !isTimeZone(theirs)) return false;
  return instants.some((at) => zoneOffsetMinutes(at, theirs) !== zoneOffsetMinutes(at, zone));
}

/**
 * One instant for this reader: in the event's zone with its abbreviation ("Sun, 29 Mar 2026,
 * 04:30 EEST"), or, for a reader whose own zone differs, "… 04:30 Kyiv time (03:30 yours)".
 */
export function instantForReader(at: string, eventZone: string, reader: Reader | undefined): string {
  return formatForReader(at, known(eventZone), reader?.timezone ?? null, usableLocale(reader?.locale));
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
  const locale = usableLocale(reader?.locale);
  if (!end) return instantForReader(start, zone, reader);
  const from = new Date(start);
  const to = new Date(end);
  if (!readerDiffers([from, to], zone, reader)) return formatSpan(from, to, zone, locale);
  if (formatDay(from, zone, locale) !== formatDay(to, zone, locale)) {
    return `${formatForReader(from, zone, reader.timezone, locale)} – ${formatForReader(to, zone, reader.timezone, locale)}`;
  }
  const ours = `${clock(from, zone, locale)} – ${clock(to, zone, locale)}`;
  const theirs = `${clock(from, reader.timezone, locale)} – ${clock(to, reader.timezone, locale)}`;
  return `${formatDay(from, zone, locale)}, ${ours} ${zoneCity(zone)} time (${theirs} yours)`;
}
