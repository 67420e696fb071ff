import { renderCalendar } from '@convene/domain-kit';

// The organizer rule and its default contact are the platform's (the notifier's reminders apply them too).
export { defaultContactEmail, organizerAddress } from '@convene/domain-kit';

/** One event as the events service offers it for "add to calendar". */
export interface CalendarEvent {
  id: string;
  title: string;
  description: string;
  location: string;
  start_time: Date;
  end_time: Date;
  /** The zone the file shows the times in (TZID and its VTIMEZONE; UTC: plain UTC instants). */
  timezone: string;
  host_name: string;
  /**
   * The address after ORGANIZER's `mailto:`: the host's own only for readers who may see it (the
   * host and co-hosts, as in every JSON view), otherwise a contact address of the platform's
   * (`organizerAddress`). Anyone may download a public event's file.
   */
  organizer_email: string;
  is_active: boolean;
  updated_at: Date;
  url?: string;
}

/** The event's `.ics` (domain-kit's one RFC 5545 writer), cancelled events marked so. */
export function renderIcs(event: CalendarEvent, now: Date, productId = '-//Convene//Events//EN'): string {
  return renderCalendar(
    {
      uid: event.id,
      title: event.title,
      description: event.description,
      location: event.location,
      start: event.start_time,
      end: event.end_time,
      timezone: event.timezone,
      organizer: { name: event.host_name, email: event.organizer_email },
      ...(event.url ? { url: event.url } : {}),
      updatedAt: event.updated_at,
      status: event.is_active ? 'CONFIRMED' : 'CANCELLED',
    },
    { now, productId },
  );
}

/** A safe file name for Content-Disposition. */
export function calendarFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${base || 'event'}.ics`;
}
