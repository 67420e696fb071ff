import type { Causes } from '../store/announcements.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { answerInvitation } from './answer-invitation.ts';
import type { FlowContext } from './context.ts';
import { invitationByToken } from './guard-token-lookups.ts';

/** Seed 000: the link's token is enough; the guest gives a name and a phone; no account is created. */
export async function acceptInvitationAsGuest(
  ctx: FlowContext,
  input: { token: string; full_name?: string | undefined; phone?: string | undefined; client: string },
  causes?: Causes,
): Promise<InvitationDoc> {
  const inv = await invitationByToken(ctx, input.token, input.client);
  return answerInvitation(ctx, inv, 'accepted', { full_name: input.full_name, phone: input.phone }, causes);
}
