import { AppError, conflict, forbidden, notFound } from '@convene/kit';
import { Messages } from './domain/messages.ts';
import type { Outcome } from './flows/context.ts';

/** Every error code this service answers with (besides kit's), in one place: clients may rely on them. */
export const Code = {
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
      return notFound(Messages.eventNotFound, Code.EVENT_NOT_FOUND);
    case 'feedback_not_found':
      return notFound(Messages.feedbackNotFound, Code.FEEDBACK_NOT_FOUND);
    case 'duplicate':
      return conflict(Messages.duplicate, Code.FEEDBACK_EXISTS);
    case 'busy':
      return conflict(Messages.busy, Code.FEEDBACK_BUSY);
    case 'hosts_only':
      return forbidden(Messages.hostsOnly, Code.FEEDBACK_HOSTS_ONLY);
    case 'not_registered':
      return new AppError(403, Code.NOT_A_PARTICIPANT, Messages.notRegistered, { reason: 'not_registered' });
    case 'not_confirmed':
      return new AppError(403, Code.NOT_A_PARTICIPANT, Messages.notConfirmed, { reason: 'not_confirmed' });
    case 'cancelled':
      return new AppError(403, Code.NOT_A_PARTICIPANT, Messages.cancelled, { reason: 'registration_cancelled' });
    case 'not_checked_in':
      return new AppError(403, Code.NOT_CHECKED_IN, Messages.notCheckedIn, { reason: 'not_checked_in' });
    case 'event_cancelled':
      return new AppError(403, Code.EVENT_CANCELLED, Messages.eventCancelled, { reason: 'event_cancelled' });
    case 'not_open':
      return new AppError(400, Code.FEEDBACK_NOT_OPEN, Messages.notOpen(outcome.opensAt, opensAtSetting), {
        opens_at: outcome.opensAt.toISOString(),
      });
    case 'closed':
      return new AppError(400, Code.FEEDBACK_CLOSED, Messages.closed(outcome.closedAt), {
        closed_at: outcome.closedAt.toISOString(),
      });
  }
}

export function eventsUnavailable(): AppError {
  return new AppError(503, Code.EVENTS_UNAVAILABLE, Messages.eventsUnavailable, { headers: { 'Retry-After': '1' } });
}
