import type { Causes } from '@convene/domain-kit';
import { invitationNotFound, notPending } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationToManage } from './find-invitation-to-manage.ts';
import { withdrawInvitation } from './withdraw-invitation.ts';

/** DELETE: a pending invitation is withdrawn; its link stops working; invitation.cancelled goes out with the change. */
export async function cancelInvitation(
  ctx: FlowContext,
  input: { ref: string; eventId?: string; actor: Actor },
  causes: Causes = {},
): Promise<InvitationDoc> {
  const { inv } = await findInvitationToManage(ctx, input);
  if (inv.status !== 'pending') throw notPending(inv.status);
  const cancelled = await withdrawInvitation(ctx, inv, input.actor.id, causes);
  if (cancelled) return cancelled;
  const current = await findInvitation(ctx.store, inv._id);
  if (!current) throw invitationNotFound();
  throw notPending(current.status);
}
