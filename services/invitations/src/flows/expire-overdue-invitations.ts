import type { InvitationDoc } from '../store/invitation-model.ts';
import type { FlowContext } from './context.ts';
import { expireOne } from './send-invitations.ts';

/**
 * The sweeper (and `convene invitations:expire`): overdue pending invitations become expired,
 * each announcing invitation.expired. Safe with several replicas: each change is conditional on
 * the invitation still being pending and overdue, so exactly one replica wins each one.
 */
export async function expireOverdueInvitations(ctx: FlowContext): Promise<number> {
  let expired = 0;
  for (;;) {
    const now = ctx.now();
    const batch = await ctx.store.invitations
      .find({ status: 'pending', expires_at: { $lte: now } }, { _id: 1 })
      .limit(500)
      .lean<Pick<InvitationDoc, '_id'>[]>();
    if (batch.length === 0) break;
    let progressed = 0;
    for (const { _id } of batch) if (await expireOne(ctx, _id)) progressed++;
    expired += progressed;
    if (progressed === 0) break; // another replica took them all
  }
  return expired;
}
