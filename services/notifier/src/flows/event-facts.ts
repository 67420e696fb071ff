import type { EventViewDoc } from '../store/projection-models.ts';
import type { EventFacts } from '../templates/catalogue.ts';

export function eventUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl}/api/events/${encodeURIComponent(eventId)}`;
}

/** What a message shows of an event, from a snapshot in a message. */
export function factsOfSnapshot(
  publicUrl: string,
  event: { event_id: string; title: string; start_time: string; end_time: string; location: string },
): EventFacts {
  return {
    event_id: event.event_id,
    title: event.title,
    start_time: event.start_time,
    end_time: event.end_time,
    location: event.location || null,
    url: eventUrl(publicUrl, event.event_id),
  };
}

/** ... or from the projection (the invitation messages carry only title and start). */
export function factsOf(
  publicUrl: string,
  eventId: string,
  fallback: { title: string; start_time: string | null },
  view: EventViewDoc | null,
): EventFacts {
  return {
    event_id: eventId,
    title: view?.title ?? fallback.title,
    start_time: view?.start_time.toISOString() ?? fallback.start_time,
    end_time: view?.end_time.toISOString() ?? null,
    location: view?.location || null,
    url: eventUrl(publicUrl, eventId),
  };
}
