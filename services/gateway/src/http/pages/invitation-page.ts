import { zoneOrUtc } from '@convene/domain-kit';
import { html } from 'hono/html';
import { type Html, layout, stateMessage } from './layout.ts';
import { text } from './service-answers.ts';
import { instantIn, spanIn } from './when.ts';

/** The verify-by-token answer of the invitations API; fields an older service does not send yet are optional. */
export interface Invitation {
  event_name?: string;
  event_description?: string;
  event_start_time?: string;
  event_end_time?: string | null;
  event_timezone?: string;
  event_location?: string;
  host_name?: string | null;
  invited_by?: string;
  role?: string;
  message?: string;
  expires_at?: string;
  responded_at?: string | null;
  can_accept?: boolean;
  is_expired?: boolean;
  status?: string;
  reservation?: string | null;
  state?: string;
}

/** The invitation's state in one word: the service's own, else worked out from the older fields. */
export function invitationState(invitation: Invitation): string {
  if (invitation.state) return invitation.state;
  if (invitation.is_expired) return 'expired';
  if (invitation.status === 'accepted') {
    const seat = invitation.reservation;
    return seat && ['confirmed', 'waitlisted', 'offered', 'rejected', 'cancelled'].includes(seat)
      ? `accepted_${seat}`
      : 'accepted_pending';
  }
  if (invitation.status === 'declined' || invitation.status === 'cancelled') return invitation.status;
  return invitation.can_accept === false ? 'event_closed' : 'pending';
}

/** What a state means for the invitee, in words; undefined for `pending` (the page shows the form). */
function stateInWords(invitation: Invitation, zone: string): Html | undefined {
  const answered = instantIn(invitation.responded_at, zone);
  const on = answered ? html` on ${answered}` : '';
  switch (invitationState(invitation)) {
    case 'pending':
      return undefined;
    case 'expired':
      return stateMessage('error', 'This invitation has expired.');
    case 'cancelled':
      return stateMessage('error', 'This invitation has been cancelled by the host.');
    case 'event_closed':
      return stateMessage('error', 'This event has been cancelled, so the invitation can no longer be answered.');
    case 'declined':
      return stateMessage('info', html`You declined this invitation${on}.`);
    case 'accepted_pending':
      return stateMessage('ok', html`You accepted this invitation${on}. Your seat is being reserved.`);
    case 'accepted_confirmed':
      return stateMessage(
        'ok',
        invitation.role === 'cohost'
          ? html`You accepted this invitation${on}: you are a co-host of this event.`
          : html`You accepted this invitation${on}: you have a seat.`,
      );
    case 'accepted_waitlisted':
      return stateMessage(
        'ok',
        html`You accepted this invitation${on}: you are on the waitlist. You will hear from us if a seat frees up.`,
      );
    case 'accepted_offered':
      return stateMessage(
        'ok',
        html`You accepted this invitation${on}: you are on the waitlist and a seat has been offered to you. Your email says how to take it.`,
      );
    case 'accepted_rejected':
      return stateMessage(
        'error',
        html`You accepted this invitation${on}, but there was no seat for you: the event is full or closed.`,
      );
    case 'accepted_cancelled':
      return stateMessage('info', html`You accepted this invitation${on}; your seat has since been cancelled.`);
    default:
      return stateMessage('error', 'This invitation can no longer be answered.');
  }
}

export function invitationPage(token: string, invitation: Invitation): Html {
  const action = `/invite/${encodeURIComponent(token)}`;
  const zone = zoneOrUtc(invitation.event_timezone);
  const name = text(invitation.event_name) ?? 'An event';
  const when = spanIn(invitation.event_start_time, invitation.event_end_time, zone);
  const host = text(invitation.host_name ?? undefined);
  const inviter = text(invitation.invited_by);
  const state = stateInWords(invitation, zone);
  const answerBy = state ? undefined : instantIn(invitation.expires_at, zone);
  return layout(
    `Invitation: ${name}`,
    html`<p class="muted">You are invited to</p>
      <h1>${name}</h1>
      <dl class="facts">
        ${when ? html`<dt>When</dt><dd>${when}</dd>` : ''}
        ${text(invitation.event_location) ? html`<dt>Where</dt><dd>${invitation.event_location}</dd>` : ''}
        ${host ? html`<dt>Host</dt><dd>${host}</dd>` : ''}
        ${inviter && inviter !== host ? html`<dt>Invited by</dt><dd>${inviter}</dd>` : ''}
        ${answerBy ? html`<dt>Answer by</dt><dd>${answerBy}</dd>` : ''}
      </dl>
      ${text(invitation.event_description) ? html`<p class="description">${invitation.event_description}</p>` : ''}
      ${text(invitation.message) ? html`<h2>A message from ${inviter ?? host ?? 'the host'}</h2><blockquote>${invitation.message}</blockquote>` : ''}
      ${
        state ??
        html`<h2>Your answer</h2>
          <form method="post" action="${action}">
            <label for="full_name">Your name</label>
            <input id="full_name" name="full_name" autocomplete="name" />
            <label for="phone">Phone (optional)</label>
            <input id="phone" name="phone" type="tel" autocomplete="tel" />
            <p class="actions"><button name="action" value="accept">Accept</button></p>
          </form>
          <form method="post" action="${action}">
            <p class="actions"><button name="action" value="decline" class="secondary">Decline</button></p>
          </form>`
      }`,
  );
}

/** After the form: what happened, and the way back to the invitation (which then shows its state). */
export function invitationAnswered(token: string, declined: boolean): Html {
  const message = declined
    ? 'You declined the invitation. The host has been told.'
    : 'You accepted the invitation. A confirmation is on its way to your inbox.';
  return layout(
    'Invitation',
    html`<h1>${declined ? 'Invitation declined' : 'Invitation accepted'}</h1>
      ${stateMessage('ok', message)}
      <p><a href="/invite/${encodeURIComponent(token)}">See your invitation</a></p>`,
  );
}
