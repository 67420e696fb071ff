import type { InvitationDoc } from '../store/invitation-model.ts';
import { listReceived } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';

/** A page of the invitations addressed to the signed-in user (by id or by their account's email), newest first. */
export function listMyInvitations(
  ctx: FlowContext,
  actor: Actor,
  page: { skip: number; limit: number },
): Promise<{ count: number; results: InvitationDoc[] }> {
  return listReceived(ctx.store, actor, page);
}
