import { canonicalTimeZone } from '@convene/domain-kit';

/**
 * An event's zone says how its instants are shown to people (emails, pages, calendar files, CSV);
 * it never moves them. The runtime's zone database decides which names exist.
 */

/** The zone an event is shown in: its own, or `fallback` (the configured default) for one stored without. */
export function eventTimeZone(event: { timezone?: string | null }, fallback: string): string {
  return event.timezone || fallback;
}

/** Why a zone given by a client cannot be kept, or null when it can. */
export function unknownTimeZoneMessage(zone: string): string | null {
  return canonicalTimeZone(zone) === null
    ? `Unknown time zone ${JSON.stringify(zone)}; give an IANA name like Europe/Kyiv.`
    : null;
}
