import { emailKey } from '@convene/domain-kit';
import type { Reservation } from '../domain/invitation-rules.ts';
import { projectParticipant } from '../store/event-projections.ts';
import { recordReservationAnswer } from '../store/invitation-changes.ts';
import type { FlowContext } from './context.ts';

export interface ReservationAnswer {
  eventId: string;
  invitationId: string | null;
  registrationId: string | null;
  attendee: { user_id: string | null; email: string };
  reservation: Reservation;
  /** The answer's envelope time: a later answer (waitlisted → confirmed) wins, an older one is ignored. */
  at: Date;
}

/**
 * events answered (registration.confirmed | waitlisted | offered | rejected | cancelled). Every
 * answer keeps the "who takes part" projection current; one carrying an invitation id is shown on
 * that invitation's `reservation`. Idempotent: the same answer again writes the same values, and
 * an answer older than the recorded one changes nothing.
 */
export async function recordReservation(ctx: FlowContext, answer: ReservationAnswer): Promise<boolean> {
  if (answer.reservation !== 'rejected') {
    const active = answer.reservation !== 'cancelled';
    const keys = [emailKey(answer.attendee.email), ...(answer.attendee.user_id ? [answer.attendee.user_id] : [])];
    for (const key of keys)
      await projectParticipant(ctx.store, { eventId: answer.eventId, key, active, asOf: answer.at });
  }
  if (!answer.invitationId) return false;
  return recordReservationAnswer(
    ctx.store,
    {
      invitationId: answer.invitationId,
      reservation: answer.reservation,
      registrationId: answer.registrationId,
      at: answer.at,
    },
    ctx.now(),
  );
}
