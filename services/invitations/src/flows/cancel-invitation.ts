import { withOutbox } from '@convene/bus';
import { invitationNotFound, notPending } from '../errors.ts';
import { announce, type Causes } from '../store/announcements.ts';
import { closedKey, type InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationToManage } from './find-invitation-to-manage.ts';

/** DELETE: a pending invitation is withdrawn; its link stops working; invitation.cancelled goes out with the change. */
export async function cancelInvitation(
  ctx: FlowContext,
  input: { ref: string; eventId?: string; actor: Actor },
  causes: Causes = {},
): Promise<InvitationDoc> {
  const { inv } = await findInvitationToManage(ctx, input);
  if (inv.status !== 'pending') throw notPending(inv.status);
  const cancelled = await withdraw(ctx, inv, input.actor.id, causes);
  if (cancelled) return cancelled;
  const current = await findInvitation(ctx.store, inv._id);
  if (!current) throw invitationNotFound();
  throw notPending(current.status);
}

/** The conditional update both a host's cancel and a closed event's clean-up use; null if it was no longer pending. */
export async function withdraw(
  ctx: FlowContext,
  inv: InvitationDoc,
  by: string,
  causes: Causes = {},
): Promise<InvitationDoc | null> {
  const now = ctx.now();
  const set = { status: 'cancelled' as const, open_key: closedKey(inv._id), remind_at: null, updated_at: now };
  const message = announce.cancelled(inv, by, now, causes); // was_accepted from the state before: pending → false
  const done = await ctx.store.invitations.updateOne(
    { _id: inv._id, status: 'pending' },
    withOutbox({ $set: set }, [message], now),
  );
  if (done.modifiedCount !== 1) return null;
  return { ...inv, ...set };
}
