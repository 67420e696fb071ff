import { invitationIsExpired } from '../domain/invitation.ts';
import { hashToken, looksLikeSecretToken } from '../domain/secret-token.ts';
import { invitationProblem } from '../errors.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

/** The invited account a set-password link belongs to, or the reason the link does not work. */
export async function findInvitationByLink(ctx: FlowContext, token: string): Promise<VersionedUser> {
  if (!looksLikeSecretToken(token)) throw invitationProblem('unknown');
  const tokenHash = hashToken(token);
  const user = await ctx.users.byInvitationHash(tokenHash);
  if (user?.invitation && user.status === 'invited') {
    if (invitationIsExpired(user.invitation, ctx.now())) throw invitationProblem('expired');
    return user;
  }
  const outcome = await ctx.users.pastInvitationOutcome(tokenHash);
  throw invitationProblem(outcome ?? 'unknown');
}
