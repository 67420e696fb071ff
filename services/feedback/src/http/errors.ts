import { AppError, conflict, forbidden, notFound } from '@convene/kit';
import { Messages } from '../domain/messages.ts';
import type { Outcome } from '../flows/context.ts';

/** The stable codes this service answers with (besides kit's). */
export const Codes = {
  EVENT_NOT_FOUND: 'EVENT_NOT_FOUND',
  FEEDBACK_NOT_FOUND: 'FEEDBACK_NOT_FOUND',
  FEEDBACK_EXISTS: 'FEEDBACK_EXISTS',
  FEEDBACK_BUSY: 'FEEDBACK_BUSY',
  NOT_A_PARTICIPANT: 'NOT_A_PARTICIPANT',
  NOT_CHECKED_IN: 'NOT_CHECKED_IN',
  EVENT_CANCELLED: 'EVENT_CANCELLED',
  FEEDBACK_NOT_OPEN: 'FEEDBACK_NOT_OPEN',
  FEEDBACK_CLOSED: 'FEEDBACK_CLOSED',
  FEEDBACK_HOSTS_ONLY: 'FEEDBACK_HOSTS_ONLY',
  EVENTS_UNAVAILABLE: 'EVENTS_UNAVAILABLE',
} as const;

type Refused = Exclude<Outcome<object>, { ok: true }>;

/** A flow's refusal → the problem the client reads. */
export function refusal(outcome: Refused, opensAtSetting: 'start' | 'end'): AppError {
  switch (outcome.reason) {
    case 'event_not_found':
      return notFound(Messages.eventNotFound, Codes.EVENT_NOT_FOUND);
    case 'feedback_not_found':
      return notFound(Messages.feedbackNotFound, Codes.FEEDBACK_NOT_FOUND);
    case 'duplicate':
      return conflict(Messages.duplicate, Codes.FEEDBACK_EXISTS);
    case 'busy':
      return conflict(Messages.busy, Codes.FEEDBACK_BUSY);
    case 'hosts_only':
      return forbidden(Messages.hostsOnly, Codes.FEEDBACK_HOSTS_ONLY);
    case 'not_registered':
      return new AppError(403, Codes.NOT_A_PARTICIPANT, Messages.notRegistered, { reason: 'not_registered' });
    case 'not_confirmed':
      return new AppError(403, Codes.NOT_A_PARTICIPANT, Messages.notConfirmed, { reason: 'not_confirmed' });
    case 'cancelled':
      return new AppError(403, Codes.NOT_A_PARTICIPANT, Messages.cancelled, { reason: 'registration_cancelled' });
    case 'not_checked_in':
      return new AppError(403, Codes.NOT_CHECKED_IN, Messages.notCheckedIn, { reason: 'not_checked_in' });
    case 'event_cancelled':
      return new AppError(403, Codes.EVENT_CANCELLED, Messages.eventCancelled, { reason: 'event_cancelled' });
    case 'not_open':
      return new AppError(400, Codes.FEEDBACK_NOT_OPEN, Messages.notOpen(outcome.opensAt, opensAtSetting), {
        opens_at: outcome.opensAt.toISOString(),
      });
    case 'closed':
      return new AppError(400, Codes.FEEDBACK_CLOSED, Messages.closed(outcome.closedAt), {
        closed_at: outcome.closedAt.toISOString(),
      });
  }
}

export function eventsUnavailable(): AppError {
  return new AppError(503, Codes.EVENTS_UNAVAILABLE, Messages.eventsUnavailable, { headers: { 'Retry-After': '1' } });
}
