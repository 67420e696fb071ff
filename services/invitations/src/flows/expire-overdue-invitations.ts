import { overdueInvitationIds } from '../store/expiry.ts';
import type { FlowContext } from './context.ts';
import { expireInvitation } from './expire-invitation.ts';

/**
 * The sweeper (and `convene invitations:expire`): overdue pending invitations become expired,
 * each announcing invitation.expired. Safe with several replicas: each change is conditional on
 * the invitation still being pending and overdue, so exactly one replica wins each one.
 */
export async function expireOverdueInvitations(ctx: FlowContext): Promise<number> {
  let expired = 0;
  for (;;) {
    const batch = await overdueInvitationIds(ctx.store, ctx.now(), 500);
    if (batch.length === 0) break;
    let progressed = 0;
    for (const id of batch) if (await expireInvitation(ctx, id)) progressed++;
    expired += progressed;
    if (progressed === 0) break; // another replica took them all
  }
  return expired;
}
