import type { Causes } from '@convene/domain-kit';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { FlowContext } from './context.ts';
import { findInvitationByToken } from './find-invitation-by-token.ts';

/** A guest declines with the emailed link: the token is enough. */
export async function declineInvitationAsGuest(
  ctx: FlowContext,
  input: { token: string; client: string },
  causes?: Causes,
): Promise<InvitationDoc> {
  const inv = await findInvitationByToken(ctx, input.token, input.client);
  return answerInvitation(ctx, inv, 'declined', {}, causes);
}
