import { formatForReader, formatSpanForReader, usableLocale, zoneOrUtc } from '@convene/domain-kit';
import type { Reader } from './catalogue.ts';

/**
 * Times in an email, for its reader: in the event's zone (UTC when the message names none this
 * runtime knows), with the reader's own clock beside it when their profile zone differs
 * (domain-kit's formatForReader / formatSpanForReader), in their locale when it is usable.
 */
export function instantForReader(at: string, eventZone: string, reader: Reader | undefined): string {
  return formatForReader(at, zoneOrUtc(eventZone), reader?.timezone, usableLocale(reader?.locale));
}

export function spanForReader(
  start: string,
  end: string | null,
  eventZone: string,
  reader: Reader | undefined,
): string {
  if (!end) return instantForReader(start, eventZone, reader);
  return formatSpanForReader(start, end, zoneOrUtc(eventZone), reader?.timezone, usableLocale(reader?.locale));
}
