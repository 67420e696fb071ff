import { isAddressedTo } from '../domain/permissions.ts';
import { invitationNotFound } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';

/** One invitation addressed to the signed-in user; someone else's is 404, as if it did not exist. */
export async function findMyInvitation(ctx: FlowContext, id: string, actor: Actor): Promise<InvitationDoc> {
  const inv = await findInvitation(ctx.store, id);
  if (!inv || !isAddressedTo(inv, actor)) throw invitationNotFound();
  return inv;
}
