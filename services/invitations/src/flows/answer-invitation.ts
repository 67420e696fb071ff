import type { Causes } from '@convene/domain-kit';
import { answerRefusal } from '../domain/invitation-rules.ts';
import { cannotAnswer, invitationNotFound } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import { eventFactsFor } from '../store/event-projections.ts';
import { recordAnswer } from '../store/invitation-changes.ts';
import { closedKey, type InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';

export interface AnswerDetails {
  full_name?: string | undefined;
  phone?: string | undefined;
  /** The signed-in invitee answering (recorded on the invitation, carried to events). */
  user_id?: string | undefined;
}

/**
 * Accept or decline, once. One conditional update (still pending, not yet expired) records the
 * answer and its invitation.accepted | declined together; events reserves the seat from the
 * message. Answering twice, late, or after a cancellation is refused with what happened, and
 * changes nothing.
 */
export async function answerInvitation(
  ctx: FlowContext,
  inv: InvitationDoc,
  decision: 'accepted' | 'declined',
  details: AnswerDetails = {},
  causes: Causes = {},
): Promise<InvitationDoc> {
  const now = ctx.now();
  const refusal = answerRefusal(inv, now);
  if (refusal) throw cannotAnswer(refusal, inv.status);

  const set: Partial<InvitationDoc> = {
    status: decision,
    responded_at: now,
    open_key: closedKey(inv._id),
    remind_at: null,
    updated_at: now,
  };
  if (decision === 'accepted') set.reservation = 'pending';
  const fullName = details.full_name?.trim();
  if (fullName) set.full_name = fullName;
  if (details.phone?.trim()) set.phone = details.phone.trim();
  if (details.user_id) set.invitee_user_id = details.user_id;

  const after: InvitationDoc = { ...inv, ...set };
  const event = await eventFactsFor(ctx.store, inv.event_id);
  const message =
    decision === 'accepted'
      ? announce.accepted(after, event, now, causes)
      : announce.declined(after, event, now, causes);
  if (await recordAnswer(ctx.store, inv._id, now, set, message)) return after;
  // Someone else answered (or cancelled) first: say what happened to it.
  const current = await findInvitation(ctx.store, inv._id);
  if (!current) throw invitationNotFound();
  throw cannotAnswer(answerRefusal(current, now) ?? 'ALREADY_ANSWERED', current.status);
}
