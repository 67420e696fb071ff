import type { InvitationAccepted } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import { isActive, type TransitionKind } from '../domain/registration-states.ts';
import { RegistrationBusy } from '../errors.ts';
import { invitationWithdrawn } from '../store/invitee-queries.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { registrationOfPerson } from '../store/registration-queries.ts';
import type { MoveResult } from '../store/seat-moves.ts';
import { addCohost } from './add-cohost.ts';
import type { FlowContext } from './context.ts';
import { releaseSeatForCancelledInvitation } from './release-seat-for-cancelled-invitation.ts';
import { rememberInvitee } from './remember-invitee.ts';

export type ReservationOutcome =
  | 'cohost_added'
  | 'duplicate'
  | 'confirmed'
  | 'waitlisted'
  | 'offered'
  | 'rejected'
  | 'answered_existing'
  | 'withdrawn';

/**
 * invitation.accepted → a co-host (role cohost), or a seat for the invitee, or a place on the
 * waitlist when full, or a rejection (event gone, inactive or started); every outcome is
 * announced with the invitation id. VIP invitations with bypass_capacity are confirmed over
 * capacity (counted in bypass_count, not against seats).
 *
 * Idempotent by business key: one registration per (event, person), and a registration that
 * already answered this invitation is left alone, so a redelivered message changes nothing.
 */
export async function reserveSeatForAcceptedInvitation(
  ctx: FlowContext,
  data: InvitationAccepted,
  causes?: Causes,
): Promise<ReservationOutcome> {
  await rememberInvitee(ctx, data);
  if (await invitationWithdrawn(ctx.store, data.invitation_id)) return 'withdrawn';
  if (data.role === 'cohost') {
    await addCohost(ctx, { eventId: data.event_id, person: data.invitee }, causes);
    return 'cohost_added';
  }
  const person = data.invitee;
  const bypass = data.bypass_capacity;
  const kind: TransitionKind = bypass ? 'register_bypass' : 'register';
  const fallback: TransitionKind | null = bypass ? null : 'join_waitlist';

  const existing = await registrationOfPerson(ctx.store, data.event_id, person);
  let result: MoveResult;
  if (existing) {
    if (existing.txn) throw new RegistrationBusy(`registration ${existing._id} is in flight`);
    // An invitation is accepted once: the same invitation id again is a duplicate, whatever happened since.
    if (existing.invitation_id === data.invitation_id) return 'duplicate';
    if (isActive(existing.status)) return answerExisting(ctx, existing, data, causes);
    result = await ctx.moves.perform({
      registrationId: existing._id,
      kind,
      fallback,
      set: {
        invitation_id: data.invitation_id,
        user_id: person.user_id,
        user_name: person.name,
        user_email: person.email,
      },
      onRefusal: 'reject',
      causes,
    });
  } else {
    // The event is not read first: the move's own guards decide, and one for an event that is gone,
    // closed or full is recorded as a rejected registration. The invitation's start time stands in
    // for the event's times until the move copies them from the event (a rejection keeps it).
    const start = new Date(data.event_start_time);
    result = await ctx.moves.perform({
      create: {
        event: { _id: data.event_id, start_time: start, end_time: start },
        person,
        invitation_id: data.invitation_id,
      },
      kind,
      fallback,
      onRefusal: 'reject',
      causes,
    });
    if (!result.ok && result.reason === 'exists') {
      throw new RegistrationBusy('a registration for this person was created meanwhile');
    }
  }

  if (result.ok && (await invitationWithdrawn(ctx.store, data.invitation_id))) {
    // invitation.cancelled overtook this message and found nothing to release: release now.
    await releaseSeatForCancelledInvitation(
      ctx,
      { ...data, cancelled_by: data.invited_by.user_id, cancelled_at: ctx.now().toISOString(), was_accepted: true },
      causes,
    );
    return 'withdrawn';
  }
  if (result.ok) return result.registration.status === 'waitlisted' ? 'waitlisted' : 'confirmed';
  if (result.reason === 'busy')
    throw new RegistrationBusy(`registration ${existing?._id ?? 'new'} changed or was fenced by recovery`);
  return 'rejected';
}

/**
 * The invitee already holds or waits for a seat (registered directly, or by another invitation):
 * a VIP invitation lifts them over capacity; otherwise their standing is announced again with
 * this invitation's id so the inviter learns the outcome.
 */
async function answerExisting(
  ctx: FlowContext,
  existing: RegistrationDoc,
  data: InvitationAccepted,
  causes: Causes | undefined,
): Promise<ReservationOutcome> {
  const set = { invitation_id: data.invitation_id };
  if (data.bypass_capacity && (existing.status === 'waitlisted' || existing.status === 'offered')) {
    const kind = existing.status === 'waitlisted' ? 'promote_bypass' : 'accept_offer';
    const result = await ctx.moves.perform({
      registrationId: existing._id,
      kind,
      set,
      extraFilter: { status: existing.status },
      causes,
    });
    if (result.ok) return 'confirmed';
    if (result.reason === 'busy') throw new RegistrationBusy(`registration ${existing._id} changed meanwhile`);
    // The event closed: they keep their place; answer with it below.
  }
  const answered = await ctx.moves.perform({ answer: existing, set, causes });
  if (answered.ok) return 'answered_existing';
  if (answered.reason === 'gone') return 'duplicate';
  throw new RegistrationBusy(`registration ${existing._id} changed meanwhile`);
}
