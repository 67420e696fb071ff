import { canonicalTimeZone } from '@convene/domain-kit';

/**
 * An event's zone says how its instants are shown to people (emails, pages, calendar files, CSV);
 * it never moves them. The runtime's zone database decides which names exist.
 */

/** The zone an event is shown in: its own, or `fallback` (the configured default) for one stored without. */
export function eventTimeZone(event: { timezone?: string | null }, fallback: string): string {
  return event.timezone || fallback;
}

/**
 * The zone to store for a name a client or the configuration gave, or null: an IANA name the
 * runtime knows (domain-kit's canonicalTimeZone, which also refuses fixed offsets like `+02:00` —
 * an event "at +02:00" would show the wrong time for half the year).
 */
export function eventZoneName(zone: string): string | null {
  return canonicalTimeZone(zone);
}

/** Why a zone given by a client cannot be kept, or null when it can. */
export function unknownTimeZoneMessage(zone: string): string | null {
  return eventZoneName(zone) === null
    ? `Unknown time zone ${JSON.stringify(zone)}; give an IANA name like Europe/Kyiv.`
    : null;
}
