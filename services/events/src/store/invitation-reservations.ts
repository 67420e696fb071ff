import { withOutbox } from '@convene/bus';
import type { InvitationAccepted, InvitationCancelled } from '@convene/contracts';
import { emailKey, userKeyOf } from '../domain/identity.ts';
import { exitTransition, isActive, type TransitionKind } from '../domain/registration-states.ts';
import { announce } from './announcements.ts';
import { addCohost, removeCohost } from './cohosts.ts';
import type { EventDoc } from './event-model.ts';
import type { RegistrationDoc } from './registration-model.ts';
import { begin, type MoveContext, move, run } from './registration-moves.ts';
import { insertInFlight, isDuplicateKey } from './registrations.ts';

/** Thrown when another move of the same registration is in flight: the bus retries later. */
export class RegistrationBusy extends Error {
  override readonly name = 'RegistrationBusy';
}

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
 * invitation.accepted → a seat for the invitee (or a place on the waitlist), or a rejection;
 * every outcome is announced with the invitation id. VIP invitations with bypass_capacity are
 * confirmed over capacity (counted in bypass_count, not against seats).
 *
 * Idempotent by business key: one registration per (event, person), and a registration that
 * already answered this invitation is left alone, so a redelivered message changes nothing.
 */
export async function reserveForInvitation(ctx: MoveContext, data: InvitationAccepted): Promise<ReservationOutcome> {
  await rememberInvitee(ctx, data);
  if (await invitationWithdrawn(ctx, data.invitation_id)) return 'withdrawn';
  if (data.role === 'cohost') {
    await addCohost(ctx, data.event_id, data.invitee);
    return 'cohost_added';
  }
  const person = data.invitee;
  const userKey = userKeyOf(person);
  const bypass = data.bypass_capacity;
  const kind: TransitionKind = bypass ? 'register_bypass' : 'register';
  const fallback: TransitionKind | null = bypass ? null : 'join_waitlist';
  const event = await ctx.store.events.findOne({ _id: data.event_id }).lean<EventDoc>();

  const existing = await ctx.store.registrations
    .findOne({ event_id: data.event_id, user_key: userKey })
    .lean<RegistrationDoc>();
  let reg: RegistrationDoc | null = null;
  if (existing) {
    if (existing.txn) throw new RegistrationBusy(`registration ${existing._id} is in flight`);
    // An invitation is accepted once: the same invitation id again is a duplicate, whatever happened since.
    if (existing.invitation_id === data.invitation_id) return 'duplicate';
    if (isActive(existing.status)) return answerExisting(ctx, existing, data, event);
    reg = await begin(ctx, existing._id, kind, {
      fallback,
      set: {
        invitation_id: data.invitation_id,
        user_id: person.user_id,
        user_name: person.name,
        user_email: person.email,
      },
    });
    if (!reg) throw new RegistrationBusy(`registration ${existing._id} changed meanwhile`);
  } else if (!event || event.deleted_at) {
    return rejectUnknownEvent(ctx, data);
  } else {
    reg = await insertInFlight(ctx, event, person, kind, { fallback, invitation_id: data.invitation_id });
    if (!reg) throw new RegistrationBusy('a registration for this person was created meanwhile');
  }

  const result = await run(ctx, reg, { onRefusal: 'reject' });
  if (result.ok && (await invitationWithdrawn(ctx, data.invitation_id))) {
    // invitation.cancelled overtook this message and found nothing to release: release now.
    await releaseForInvitation(ctx, {
      ...data,
      cancelled_by: data.invited_by.user_id,
      cancelled_at: new Date().toISOString(),
      was_accepted: true,
    });
    return 'withdrawn';
  }
  if (result.ok) return result.registration.status === 'waitlisted' ? 'waitlisted' : 'confirmed';
  if (result.reason === 'busy') throw new RegistrationBusy(`registration ${reg._id} was fenced by recovery`);
  return 'rejected';
}

/**
 * The invitee already holds or waits for a seat (registered directly, or by another invitation):
 * a VIP invitation lifts them over capacity; otherwise their standing is announced again with
 * this invitation's id so the inviter learns the outcome.
 */
async function answerExisting(
  ctx: MoveContext,
  existing: RegistrationDoc,
  data: InvitationAccepted,
  event: EventDoc | null,
): Promise<ReservationOutcome> {
  const set = { invitation_id: data.invitation_id };
  if (data.bypass_capacity && (existing.status === 'waitlisted' || existing.status === 'offered')) {
    const kind = existing.status === 'waitlisted' ? 'promote_bypass' : 'accept_offer';
    const result = await move(ctx, existing._id, kind, { set, extraFilter: { status: existing.status } });
    if (result.ok) return 'confirmed';
    if (result.reason === 'busy') throw new RegistrationBusy(`registration ${existing._id} changed meanwhile`);
    // The event closed: they keep their place; answer with it below.
  }
  if (!event) return 'duplicate';
  const now = new Date();
  const after = { ...existing, ...set };
  const message =
    existing.status === 'confirmed'
      ? announce.confirmed(after, event, { promoted: existing.promoted, bypassed: existing.bypassed }, ctx.causes)
      : announce.waitlisted(after, event, 1 + (await waitingAhead(ctx, existing)), ctx.causes);
  const answered = await ctx.store.registrations.updateOne(
    { _id: existing._id, status: existing.status, txn: null },
    withOutbox({ $set: { ...set, updated_at: now } }, [message]),
  );
  if (answered.modifiedCount === 0) throw new RegistrationBusy(`registration ${existing._id} changed meanwhile`);
  return 'answered_existing';
}

async function waitingAhead(ctx: MoveContext, reg: RegistrationDoc): Promise<number> {
  if (reg.status !== 'waitlisted' || reg.waitlist_pos === null) return 0;
  return ctx.store.registrations.countDocuments({
    event_id: reg.event_id,
    status: 'waitlisted',
    waitlist_pos: { $lt: reg.waitlist_pos },
  });
}

/** No such event: the refusal is recorded (and announced) on a rejected registration. */
async function rejectUnknownEvent(ctx: MoveContext, data: InvitationAccepted): Promise<ReservationOutcome> {
  const now = new Date();
  const person = data.invitee;
  const doc = {
    event_id: data.event_id,
    user_key: userKeyOf(person),
    user_id: person.user_id,
    user_name: person.name,
    user_email: person.email,
    status: 'rejected' as const,
    reject_reason: 'event_not_found',
    invitation_id: data.invitation_id,
    event_start_time: new Date(data.event_start_time),
    event_end_time: new Date(data.event_start_time),
    registered_at: now,
    created_at: now,
    updated_at: now,
  };
  const created = new ctx.store.registrations(doc);
  created.set('outbox', [announce.rejected({ ...doc, _id: created._id }, 'event_not_found', ctx.causes)]);
  created.set('outbox_at', now);
  try {
    await created.save();
  } catch (err) {
    if (isDuplicateKey(err)) throw new RegistrationBusy('a registration for this person was created meanwhile');
    throw err;
  }
  return 'rejected';
}

/**
 * invitation.cancelled → the seat (or place in line) the invitation produced is given back, and a
 * co-host invitation's co-host removed. Idempotent: a registration already cancelled is left alone.
 */
export async function releaseForInvitation(
  ctx: MoveContext,
  data: InvitationCancelled,
): Promise<'released' | 'cohost_removed' | 'nothing'> {
  await ctx.store.invitees.updateOne(
    { _id: inviteeId(data.event_id, data.invitee.email) },
    {
      $set: {
        cancelled: true,
        invitation_id: data.invitation_id,
        event_id: data.event_id,
        email: data.invitee.email.toLowerCase(),
      },
      $setOnInsert: { user_id: data.invitee.user_id, created_at: new Date() },
    },
    { upsert: true },
  );
  if (data.role === 'cohost') {
    if (!data.was_accepted) return 'nothing';
    const removed = await removeCohost(ctx, data.event_id, data.invitee.user_id ?? emailKey(data.invitee.email));
    return removed ? 'cohost_removed' : 'nothing';
  }
  const reg = await ctx.store.registrations
    .findOne({ invitation_id: data.invitation_id, event_id: data.event_id })
    .lean<RegistrationDoc>();
  if (!reg || !isActive(reg.status)) return 'nothing';
  if (reg.txn) throw new RegistrationBusy(`registration ${reg._id} is in flight`);
  const exit = exitTransition(reg.status, reg.bypassed)!;
  const result = await move(ctx, reg._id, exit.kind, {
    reason: 'invitation_cancelled',
    extraFilter: { invitation_id: data.invitation_id },
  });
  if (result.ok) return 'released';
  if (
    result.registration &&
    isActive(result.registration.status) &&
    result.registration.invitation_id === data.invitation_id
  ) {
    throw new RegistrationBusy(`registration ${reg._id} changed meanwhile`);
  }
  return 'nothing';
}

function inviteeId(eventId: string, email: string): string {
  return `${eventId}:${email.trim().toLowerCase()}`;
}

/** invitation.sent / invitation.accepted: the invitee may read the (invite-only) event. */
export async function rememberInvitee(
  ctx: Pick<MoveContext, 'store'>,
  data: { invitation_id: string; event_id: string; invitee: { user_id: string | null; email: string } },
): Promise<void> {
  const _id = inviteeId(data.event_id, data.invitee.email);
  try {
    await ctx.store.invitees.updateOne(
      // A withdrawn invitation stays withdrawn; a new invitation for the same person replaces it.
      { _id, $or: [{ cancelled: false }, { invitation_id: { $ne: data.invitation_id } }] },
      {
        $set: {
          event_id: data.event_id,
          email: data.invitee.email.trim().toLowerCase(),
          user_id: data.invitee.user_id,
          invitation_id: data.invitation_id,
          cancelled: false,
        },
        $setOnInsert: { created_at: new Date() },
      },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // the same invitation withdrawn meanwhile: keep it withdrawn
  }
}

async function invitationWithdrawn(ctx: Pick<MoveContext, 'store'>, invitationId: string): Promise<boolean> {
  return (await ctx.store.invitees.exists({ invitation_id: invitationId, cancelled: true })) !== null;
}
