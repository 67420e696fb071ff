import { validationError } from '@convene/kit';
import { answerFrom } from '../domain/invitation-rules.ts';
import { invitationNotFound } from '../errors.ts';
import type { Causes } from '../store/announcements.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { Actor, FlowContext } from './context.ts';

/** Whether the invitation is addressed to this user (by id, or by their account's email). */
export function isAddressedTo(inv: InvitationDoc, actor: Actor): boolean {
  return inv.invitee_user_id === actor.id || (!!actor.email && inv.email === actor.email.trim().toLowerCase());
}

/**
 * Seed 004: PUT /api/invitations/{id} {status}. Status is case-insensitive; `rejected` means
 * declined. Someone else's invitation is 404, as if it did not exist.
 */
export async function answerInvitationFromMyList(
  ctx: FlowContext,
  input: { id: string; status: string; actor: Actor },
  causes?: Causes,
): Promise<InvitationDoc> {
  const decision = answerFrom(input.status);
  if (!decision) throw validationError({ status: [`"${input.status}" is not a valid choice (accepted, declined).`] });
  const inv = await findInvitation(ctx.store, input.id);
  if (!inv || !isAddressedTo(inv, input.actor)) throw invitationNotFound();
  return answerInvitation(
    ctx,
    inv,
    decision,
    { user_id: input.actor.id, full_name: inv.full_name || input.actor.name },
    causes,
  );
}
