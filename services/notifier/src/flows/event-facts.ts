import type { EventViewDoc } from '../store/projection-models.ts';
import type { EventFacts } from '../templates/catalogue.ts';

/** The public event page: what every email that names an event links to (never an API address). */
export function eventUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl}/e/${encodeURIComponent(eventId)}`;
}

/** What a message shows of an event, from a snapshot in a message. */
export function factsOfSnapshot(
  publicUrl: string,
  event: { event_id: string; title: string; start_time: string; end_time: string; location: string; timezone: string },
): EventFacts {
  return {
    event_id: event.event_id,
    title: event.title,
    start_time: event.start_time,
    end_time: event.end_time,
    location: event.location || null,
    url: eventUrl(publicUrl, event.event_id),
    timezone: event.timezone,
  };
}

/**
 * ... or from the projection, where the message itself carries less (an invitation its title,
 * start, end and zone; feedback only the title). The projection, when it has the event, is the
 * newer word; a view stored before zones existed takes the message's zone, else UTC.
 */
export function factsOf(
  publicUrl: string,
  eventId: string,
  fallback: { title: string; start_time: string | null; end_time?: string | null; timezone?: string },
  view: EventViewDoc | null,
): EventFacts {
  return {
    event_id: eventId,
    title: view?.title ?? fallback.title,
    start_time: view?.start_time.toISOString() ?? fallback.start_time,
    end_time: view?.end_time.toISOString() ?? fallback.end_time ?? null,
    location: view?.location || null,
    url: eventUrl(publicUrl, eventId),
    timezone: view?.timezone ?? fallback.timezone ?? 'UTC',
  };
}
