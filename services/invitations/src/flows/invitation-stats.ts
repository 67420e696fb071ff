import { acceptanceRate } from '../domain/invitation-rules.ts';
import { countOverdue } from '../store/expiry.ts';
import { countByStatus } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findManagedEvent } from './find-managed-event.ts';

export interface InvitationStats {
  total_sent: number;
  pending: number;
  accepted: number;
  rejected: number;
  expired: number;
  cancelled: number;
  acceptance_rate: number;
}

/**
 * The stats of the guest-link API (total_sent, pending, accepted, rejected, expired, cancelled, acceptance_rate), counted by the database ($match + $group), never by loading invitations.
 * Overdue invitations the sweeper has not reached yet count as expired, as they read everywhere.
 */
export async function invitationStats(ctx: FlowContext, eventId: string, actor: Actor): Promise<InvitationStats> {
  await findManagedEvent(ctx, eventId, actor);
  const [counts, overdue] = await Promise.all([
    countByStatus(ctx.store, eventId),
    countOverdue(ctx.store, ctx.now(), eventId),
  ]);
  const n = (status: string) => counts[status] ?? 0;
  const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
  return {
    total_sent: total,
    pending: n('pending') - overdue,
    accepted: n('accepted'),
    rejected: n('declined'),
    expired: n('expired') + overdue,
    cancelled: n('cancelled'),
    acceptance_rate: acceptanceRate(n('accepted'), total),
  };
}
