import type { PendingInvitation } from './user.ts';

export type InvitationProblem = 'unknown' | 'expired' | 'used' | 'replaced' | 'revoked';

/** Why an older link stopped working; kept so the page can say so instead of "not found". */
export type PastInvitationOutcome = 'used' | 'replaced' | 'revoked';

export function invitationIsExpired(invitation: Pick<PendingInvitation, 'expires_at'>, now: Date): boolean {
  return invitation.expires_at.getTime() <= now.getTime();
}
