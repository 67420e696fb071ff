import type { Causes } from '@convene/domain-kit';
import { invitationNotFound, notPending } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import { withdrawPending } from '../store/invitation-changes.ts';
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
  return (await withdrawPending(ctx.store, inv._id, now, set, message)) ? { ...inv, ...set } : null;
}
