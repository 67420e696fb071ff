import { hashToken, newSecretToken } from '../domain/secret-token.ts';
import type { PendingInvitation, User } from '../domain/user.ts';
import type { Policy } from './context.ts';

/**
 * A fresh single-use set-password link (invite and resend): the pending invitation to store, with
 * only the token's hash, and the link itself, which exists in clear only in the user.invited message.
 */
export function issueInvitationLink(
  ctx: { policy: Pick<Policy, 'invitationTtlMs' | 'setPasswordUrlBase'> },
  admin: User,
  sendCount: number,
  now: Date,
): { invitation: PendingInvitation; link: string } {
  const token = newSecretToken();
  return {
    invitation: {
      token_hash: hashToken(token),
      expires_at: new Date(now.getTime() + ctx.policy.invitationTtlMs),
      sent_at: now,
      invited_by: admin.id,
      send_count: sendCount,
    },
    link: `${ctx.policy.setPasswordUrlBase}${token}`,
  };
}

/** PUBLIC_URL + SET_PASSWORD_PATH, the base the token is appended to (Policy.setPasswordUrlBase). */
export function setPasswordUrlBase(publicUrl: string, setPasswordPath: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${setPasswordPath.replace(/\/?$/, '/')}`;
}
