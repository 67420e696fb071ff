import type { Causes } from '@convene/domain-kit';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { FlowContext } from './context.ts';
import { findInvitationByToken } from './find-invitation-by-token.ts';

/** A guest with the emailed link: the token is enough; they give a name and a phone; no account is created. */
export async function acceptInvitationAsGuest(
  ctx: FlowContext,
  input: { token: string; full_name?: string | undefined; phone?: string | undefined; client: string },
  causes?: Causes,
): Promise<InvitationDoc> {
  const inv = await findInvitationByToken(ctx, input.token, input.client);
  return answerInvitation(ctx, inv, 'accepted', { full_name: input.full_name, phone: input.phone }, causes);
}
