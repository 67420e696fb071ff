import { type Causes, normaliseEmail } from '@convene/domain-kit';
import { emailMismatch } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationByToken } from './find-invitation-by-token.ts';

/**
 * POST /api/invites/{token}/accept: the signed-in user accepts with the link's token, and only when
 * their account's email is the invited one (400 otherwise): a forwarded link does not let someone
 * else take the seat.
 */
export async function acceptInvitationSignedIn(
  ctx: FlowContext,
  input: { token: string; actor: Actor; client: string },
  causes?: Causes,
): Promise<InvitationDoc> {
  const inv = await findInvitationByToken(ctx, input.token, input.client);
  if (!input.actor.email || normaliseEmail(input.actor.email) !== inv.email) throw emailMismatch();
  return answerInvitation(
    ctx,
    inv,
    'accepted',
    { user_id: input.actor.id, full_name: inv.full_name || input.actor.name },
    causes,
  );
}
