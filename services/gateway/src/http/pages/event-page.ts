import { zoneOrUtc } from '@convene/domain-kit';
import { html } from 'hono/html';
import { type Html, layout, stateMessage } from './layout.ts';
import { text } from './service-answers.ts';
import { spanIn } from './when.ts';

/** The fields of the events API's event view this page shows (never the host's email). */
export interface EventView {
  id?: string;
  title?: string;
  description?: string;
  start_time?: string;
  end_time?: string;
  timezone?: string;
  location?: string;
  host_name?: string;
  organizer_name?: string;
  visibility?: string;
  is_active?: boolean;
  is_past?: boolean;
  available_spots?: number;
  max_participants?: number;
}

/** "12 of 40 seats left", or "Waitlist open" once every seat is taken (a full event keeps a line). */
export function seatsInWords(event: Pick<EventView, 'available_spots' | 'max_participants'>): string | undefined {
  const left = event.available_spots;
  if (typeof left !== 'number') return undefined;
  if (left <= 0) return 'Waitlist open';
  const seats = left === 1 ? 'seat' : 'seats';
  return typeof event.max_participants === 'number'
    ? `${left} of ${event.max_participants} ${seats} left`
    : `${left} ${seats} left`;
}

/** The public page of one event: what, when in its own zone, where, who hosts, room left, a calendar file. */
export function eventPage(id: string, event: EventView): Html {
  const title = text(event.title) ?? 'An event';
  const when = spanIn(event.start_time, event.end_time, zoneOrUtc(event.timezone));
  const host = text(event.host_name) ?? text(event.organizer_name);
  const seats = seatsInWords(event);
  const calendar = `/api/events/${encodeURIComponent(id)}/calendar.ics`;
  return layout(
    title,
    html`<h1>${title}</h1>
      ${event.visibility === 'invite_only' ? stateMessage('info', 'Private event: shown only to its host and the people invited.') : ''}
      ${event.is_active === false ? stateMessage('error', 'This event has been cancelled.') : event.is_past ? stateMessage('info', 'This event has already started or taken place.') : ''}
      <dl class="facts">
        ${when ? html`<dt>When</dt><dd>${when}</dd>` : ''}
        ${text(event.location) ? html`<dt>Where</dt><dd>${event.location}</dd>` : ''}
        ${host ? html`<dt>Host</dt><dd>${host}</dd>` : ''}
        ${seats && event.is_active !== false ? html`<dt>Seats</dt><dd>${seats}</dd>` : ''}
      </dl>
      ${text(event.description) ? html`<h2>About</h2><p class="description">${event.description}</p>` : ''}
      <p class="actions"><a class="button" href="${calendar}">Add to calendar</a></p>`,
  );
}

/**
 * The events API answers an invite-only event as if it did not exist (404) to anyone it was not
 * shown to, so that its existence stays private: this page says both possibilities, and how an
 * invitee gets in. 403 (the API knows the caller and refuses) names the private state alone.
 */
export function eventUnavailablePage(status: 403 | 404): Html {
  const private403 = status === 403;
  return layout(
    private403 ? 'Private event' : 'Event not found',
    html`<h1>${private403 ? 'Private event' : 'Event not found'}</h1>
      ${stateMessage(
        'info',
        private403
          ? 'This is a private event: only its host and the people invited to it can see it.'
          : 'There is no public event at this link. It may be a private event: only its host and the people invited to it can see it.',
      )}
      <p>If you were invited, open the link in your invitation email, or sign in with the address the invitation was sent to and open this page again.</p>`,
  );
}
