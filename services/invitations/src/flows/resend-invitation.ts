import { withOutbox } from '@convene/bus';
import { sealToken } from '@convene/contracts';
import { effectiveStatus, reminderDueAt } from '../domain/invitation-rules.ts';
import { hashToken, newToken } from '../domain/tokens.ts';
import { cannotAnswer, invitationNotFound, resendLimit } from '../errors.ts';
import { announce, type Causes } from '../store/announcements.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationToManage } from './find-invitation-to-manage.ts';

/**
 * A fresh link: a new token replaces the old one (whose link stops working at once, its hash is
 * gone), the expiry starts again, and invitation.resent carries the new link. At most
 * MAX_RESENDS times (429 after) — the count is part of the update's condition, so concurrent
 * resends cannot exceed it.
 */
export async function resendInvitation(
  ctx: FlowContext,
  input: { ref: string; eventId?: string; actor: Actor },
  causes: Causes = {},
): Promise<InvitationDoc> {
  const { inv } = await findInvitationToManage(ctx, input);
  const now = ctx.now();
  const max = ctx.policy.maxResends;
  const status = effectiveStatus(inv, now);
  if (status === 'expired') throw cannotAnswer('INVITATION_EXPIRED', inv.status);
  if (status !== 'pending')
    throw cannotAnswer(status === 'cancelled' ? 'INVITATION_CANCELLED' : 'ALREADY_ANSWERED', status);
  if (inv.resend_count >= max) throw resendLimit(max);

  const token = newToken();
  const expiresAt = new Date(now.getTime() + ctx.policy.ttlMs);
  const set = {
    token_hash: hashToken(token),
    token_sealed: sealToken(token, ctx.linkKey, inv._id),
    expires_at: expiresAt,
    remind_at: reminderDueAt(now, expiresAt, ctx.policy.reminderLeadMs),
    reminded_at: null,
    updated_at: now,
  };
  const after: InvitationDoc = { ...inv, ...set, resend_count: inv.resend_count + 1 };
  const done = await ctx.store.invitations.updateOne(
    { _id: inv._id, status: 'pending', expires_at: { $gt: now }, resend_count: inv.resend_count },
    withOutbox({ $set: set, $inc: { resend_count: 1 } }, [announce.resent(after, ctx.publicUrl, causes)], now),
  );
  if (done.modifiedCount === 1) return after;
  // Changed meanwhile (another resend, an answer): try again against what it is now.
  const current = await findInvitation(ctx.store, inv._id);
  if (!current) throw invitationNotFound();
  if (current.resend_count >= max) throw resendLimit(max);
  return resendInvitation(ctx, { ...input, ref: inv._id }, causes);
}
