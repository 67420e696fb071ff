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
 * The zone to store for a name a client or the configuration gave, or null. A zone is an IANA
 * name the runtime knows (domain-kit's canonicalTimeZone), not a fixed offset like `+02:00`
 * (which the runtime also accepts): an offset has no daylight-saving rules, so an event "at
 * +02:00" would show the wrong time for half the year.
 */
export function eventZoneName(zone: string): string | null {
  if (/^[+\-\u2212]/.test(zone.trim())) return null;
  return canonicalTimeZone(zone);
}

/** Why a zone given by a client cannot be kept, or null when it can. */
export function unknownTimeZoneMessage(zone: string): string | null {
  return eventZoneName(zone) === null
    ? `Unknown time zone ${JSON.stringify(zone)}; give an IANA name like Europe/Kyiv.`
    : null;
}
