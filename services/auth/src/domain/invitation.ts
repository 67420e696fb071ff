import type { PendingInvitation } from './user.ts';

export type InvitationProblem = 'unknown' | 'expired' | 'used' | 'replaced' | 'revoked';

/** Why an older link stopped working; kept so the page can say so instead of "not found". */
export type PastInvitationOutcome = 'used' | 'replaced' | 'revoked';

export function invitationIsExpired(invitation: Pick<PendingInvitation, 'expires_at'>, now: Date): boolean {
  return invitation.expires_at.getTime() <= now.getTime();
}

export const INVITATION_MESSAGES: Record<InvitationProblem, { status: number; code: string; detail: string }> = {
  unknown: { status: 404, code: 'INVITATION_TOKEN_INVALID', detail: 'Invalid invitation link.' },
  expired: {
    status: 410,
    code: 'INVITATION_EXPIRED',
    detail: 'This invitation has expired. Ask an administrator to resend it.',
  },
  used: { status: 410, code: 'INVITATION_USED', detail: 'This invitation has already been used.' },
  replaced: {
    status: 410,
    code: 'INVITATION_REPLACED',
    detail: 'This invitation link is no longer valid; a newer one was sent.',
  },
  revoked: { status: 410, code: 'INVITATION_REVOKED', detail: 'This invitation has been withdrawn.' },
};
