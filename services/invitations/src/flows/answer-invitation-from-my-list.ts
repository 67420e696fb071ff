import type { Causes } from '@convene/domain-kit';
import { validationError } from '@convene/kit';
import { answerFrom } from '../domain/invitation-rules.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { Actor, FlowContext } from './context.ts';
import { findMyInvitation } from './find-my-invitation.ts';

/**
 * PUT /api/invitations/{id} {status}, the invitee answering from their own list. Status is
 * case-insensitive; `rejected` means declined. Someone else's invitation is 404, as if it did not exist.
 */
export async function answerInvitationFromMyList(
  ctx: FlowContext,
  input: { id: string; status: string; actor: Actor },
  causes?: Causes,
): Promise<InvitationDoc> {
  const decision = answerFrom(input.status);
  if (!decision) throw validationError({ status: [`"${input.status}" is not a valid choice (accepted, declined).`] });
  const inv = await findMyInvitation(ctx, input.id, input.actor);
  return answerInvitation(
    ctx,
    inv,
    decision,
    { user_id: input.actor.id, full_name: inv.full_name || input.actor.name },
    causes,
  );
}
