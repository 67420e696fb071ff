/** The states of an invitation and what may happen to it. Pure rules: no I/O. */

export const STATUSES = ['pending', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const ROLES = ['attendee', 'cohost'] as const;
export type Role = (typeof ROLES)[number];

/** What events answered for an accepted invitation (`confirmed` also for a co-host made). */
export type Reservation = 'pending' | 'confirmed' | 'waitlisted' | 'offered' | 'rejected' | 'cancelled';

/** Our roles, and those of the legacy /api/invites API (viewer, contributor, custodian). */
const ROLE_ALIASES: Record<string, Role> = {
  attendee: 'attendee',
  cohost: 'cohost',
  'co-host': 'cohost',
  viewer: 'attendee',
  contributor: 'cohost',
  custodian: 'cohost',
};

export function roleFrom(text: string | undefined | null): Role | undefined {
  if (text === undefined || text === null || text === '') return 'attendee';
  return ROLE_ALIASES[text.trim().toLowerCase()];
}

/** An answer from the invitee's own list (PUT /api/invitations/{id}): case-insensitive, `rejected` = `declined`. */
export function answerFrom(text: string): 'accepted' | 'declined' | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'accepted' || value === 'accept') return 'accepted';
  if (value === 'declined' || value === 'decline' || value === 'rejected' || value === 'reject') return 'declined';
  return undefined;
}

export function statusFilterFrom(text: string): Status | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'rejected') return 'declined';
  return (STATUSES as readonly string[]).includes(value) ? (value as Status) : undefined;
}

/** A pending invitation past its expiry is expired, whether or not the sweeper has marked it yet. */
export function effectiveStatus(inv: { status: Status; expires_at: Date }, now: Date): Status {
  return inv.status === 'pending' && inv.expires_at.getTime() <= now.getTime() ? 'expired' : inv.status;
}

/**
 * The invitation as its invitee's page puts it in words: the status, an accepted one with what
 * events answered for the seat, a pending one whose event closed (it can no longer be answered).
 */
export const INVITATION_STATES = [
  'pending',
  'event_closed',
  'expired',
  'cancelled',
  'declined',
  'accepted_pending',
  'accepted_confirmed',
  'accepted_waitlisted',
  'accepted_offered',
  'accepted_rejected',
  'accepted_cancelled',
] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

export function invitationState(status: Status, reservation: Reservation | null, eventOpen: boolean): InvitationState {
  if (status === 'pending') return eventOpen ? 'pending' : 'event_closed';
  if (status === 'accepted') return `accepted_${reservation ?? 'pending'}`;
  return status;
}

export type AnswerRefusal = 'ALREADY_ANSWERED' | 'INVITATION_EXPIRED' | 'INVITATION_CANCELLED';

/** Why an invitation cannot be answered now, or undefined when it can. */
export function answerRefusal(inv: { status: Status; expires_at: Date }, now: Date): AnswerRefusal | undefined {
  switch (effectiveStatus(inv, now)) {
    case 'pending':
      return undefined;
    case 'expired':
      return 'INVITATION_EXPIRED';
    case 'cancelled':
      return 'INVITATION_CANCELLED';
    default:
      return 'ALREADY_ANSWERED';
  }
}

export const REFUSAL_DETAIL: Record<AnswerRefusal, (status: Status) => string> = {
  ALREADY_ANSWERED: (status) => `This invitation has already been ${status}.`,
  INVITATION_EXPIRED: () => 'This invitation has expired.',
  INVITATION_CANCELLED: () => 'This invitation has been cancelled.',
};

/** The stats' acceptance rate: accepted share of all invitations sent, in percent, one decimal. */
export function acceptanceRate(accepted: number, total: number): number {
  return total === 0 ? 0 : Math.round((accepted / total) * 1000) / 10;
}

/** When the reminder is due; none when the invitation is shorter-lived than the lead. */
export function reminderDueAt(createdAt: Date, expiresAt: Date, leadMs: number): Date | null {
  const due = expiresAt.getTime() - leadMs;
  return due > createdAt.getTime() ? new Date(due) : null;
}
