import { sealToken } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import { effectiveStatus, reminderDueAt } from '../domain/invitation-rules.ts';
import { hashToken, newToken } from '../domain/tokens.ts';
import { cannotAnswer, invitationNotFound, resendLimit } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import { eventFactsFor } from '../store/event-projections.ts';
import { recordResend } from '../store/invitation-changes.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationToManage } from './find-invitation-to-manage.ts';

/**
 * The invitation's email again, with the SAME link (decision 0044): the token stays, so whoever
 * holds it — the invitee's first email, a client resending by token — keeps a working handle; the
 * expiry and the reminder start again, and invitation.resent carries the link sealed as before
 * (decision 0040). `rotate` is for a link that leaked: a new token replaces the old one, whose
 * link stops working at once (its hash is gone), and the email carries the new one.
 * At most MAX_RESENDS times (429 after), rotating or not — the count is part of the update's
 * condition, so concurrent resends cannot exceed it.
 */
export async function resendInvitation(
  ctx: FlowContext,
  input: { ref: string; eventId?: string; actor: Actor; rotate?: boolean },
  causes: Causes = {},
): Promise<InvitationDoc> {
  const { inv } = await findInvitationToManage(ctx, input);
  return resendManaged(ctx, inv, input.rotate === true, causes);
}

async function resendManaged(
  ctx: FlowContext,
  inv: InvitationDoc,
  rotate: boolean,
  causes: Causes,
): Promise<InvitationDoc> {
  const now = ctx.now();
  const max = ctx.policy.maxResends;
  const status = effectiveStatus(inv, now);
  if (status === 'expired') throw cannotAnswer('INVITATION_EXPIRED', inv.status);
  if (status !== 'pending')
    throw cannotAnswer(status === 'cancelled' ? 'INVITATION_CANCELLED' : 'ALREADY_ANSWERED', status);
  if (inv.resend_count >= max) throw resendLimit(max);

  const expiresAt = new Date(now.getTime() + ctx.policy.ttlMs);
  const set: Partial<InvitationDoc> = {
    ...(rotate ? newLink(ctx, inv._id) : {}),
    expires_at: expiresAt,
    remind_at: reminderDueAt(now, expiresAt, ctx.policy.reminderLeadMs),
    reminded_at: null,
    updated_at: now,
  };
  const after: InvitationDoc = { ...inv, ...set, resend_count: inv.resend_count + 1 };
  const event = await eventFactsFor(ctx.store, inv.event_id);
  if (await recordResend(ctx.store, inv, now, set, announce.resent(after, event, ctx.publicUrl, causes))) return after;
  // Changed meanwhile (another resend, an answer): try again against what it is now.
  const current = await findInvitation(ctx.store, inv._id);
  if (!current) throw invitationNotFound();
  return resendManaged(ctx, current, rotate, causes);
}

/** A new token: only its hash (the lookup key) and its sealed copy (for the emails) are kept. */
function newLink(ctx: FlowContext, id: string): Pick<InvitationDoc, 'token_hash' | 'token_sealed'> {
  const token = newToken();
  return { token_hash: hashToken(token), token_sealed: sealToken(token, ctx.linkKey, id) };
}
