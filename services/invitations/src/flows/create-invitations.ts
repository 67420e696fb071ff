import { randomUUID } from 'node:crypto';
import { sealToken } from '@convene/contracts';
import { type Causes, emailKey, normaliseEmail } from '@convene/domain-kit';
import { effectiveStatus, type Role, reminderDueAt } from '../domain/invitation-rules.ts';
import { hashToken, newToken } from '../domain/tokens.ts';
import { announce } from '../store/announcements.ts';
import { activeParticipantKeys } from '../store/event-projections.ts';
import { insertInvitations } from '../store/invitation-changes.ts';
import { type InvitationDoc, openKey } from '../store/invitation-model.ts';
import { openInvitationsTo } from '../store/invitation-queries.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';
import type { Actor, FlowContext } from './context.ts';
import { expireInvitation } from './expire-invitation.ts';

export type SkipReason = 'already_invited' | 'already_participant' | 'invalid_email' | 'unknown_user' | 'is_host';

export interface Skipped {
  email: string | null;
  user_id: string | null;
  reason: SkipReason;
  detail: string;
}

export interface Target {
  email: string;
  full_name?: string;
  user_id?: string | null;
  role?: Role;
}

export interface SendOptions {
  message: string;
  role: Role;
  is_vip: boolean;
  bypass_capacity: boolean;
  expires_in_ms: number;
}

const DETAIL: Record<SkipReason, string> = {
  already_invited: 'Already invited and the invitation is pending.',
  already_participant: 'Already takes part in the event.',
  invalid_email: 'Enter a valid email address.',
  unknown_user: 'No such user.',
  is_host: 'The host cannot be invited to their own event.',
};

export function skipped(reason: SkipReason, email: string | null, userId: string | null = null): Skipped {
  return { email, user_id: userId, reason, detail: DETAIL[reason] };
}

/** The part a send and an import batch share: checks against what exists, then one insert. */
export async function createInvitations(
  ctx: FlowContext,
  event: EventProjectionDoc,
  actor: Actor,
  targets: Target[],
  options: SendOptions,
  causes: Causes = {},
): Promise<{ created: InvitationDoc[]; skipped: Skipped[] }> {
  const now = ctx.now();
  const skips: Skipped[] = [];
  const seen = new Set<string>();
  const unique: Target[] = [];
  for (const target of targets) {
    if (seen.has(target.email)) {
      skips.push(skipped('already_invited', target.email, target.user_id ?? null));
      continue;
    }
    seen.add(target.email);
    if (target.email === normaliseEmail(event.host_email) || (target.user_id && target.user_id === event.host_id)) {
      skips.push(skipped('is_host', target.email, target.user_id ?? null));
      continue;
    }
    unique.push(target);
  }

  const emails = unique.map((t) => t.email);
  const existing = emails.length ? await openInvitationsTo(ctx.store, event._id, emails) : [];
  const pending = new Set<string>();
  const accepted = new Set<string>();
  for (const inv of existing) {
    if (inv.status === 'accepted') accepted.add(inv.email);
    else if (effectiveStatus(inv, now) === 'pending') pending.add(inv.email);
    // An overdue pending one is expired now (its invitation.expired with it), freeing the person for a new one.
    else await expireInvitation(ctx, inv._id, causes);
  }
  const keys = unique.flatMap((t) => [emailKey(t.email), ...(t.user_id ? [t.user_id] : [])]);
  const participants = await activeParticipantKeys(ctx.store, event._id, keys);

  const docs: InvitationDoc[] = [];
  for (const target of unique) {
    if (pending.has(target.email)) skips.push(skipped('already_invited', target.email, target.user_id ?? null));
    else if (
      accepted.has(target.email) ||
      participants.has(emailKey(target.email)) ||
      (target.user_id && participants.has(target.user_id))
    )
      skips.push(skipped('already_participant', target.email, target.user_id ?? null));
    else docs.push(newInvitation(ctx, event, actor, target, options, now, causes));
  }
  if (docs.length === 0) return { created: [], skipped: skips };

  // Another request invited the same person meanwhile: the unique open_key refused ours.
  const refused = await insertInvitations(ctx.store, docs);
  const created = docs.filter((_, index) => !refused.has(index));
  for (const index of refused) skips.push(skipped('already_invited', docs[index]!.email, docs[index]!.invitee_user_id));
  return {
    created: created.map(({ outbox: _o, outbox_at: _a, ...doc }) => ({ ...doc, outbox: [], outbox_at: null })),
    skipped: skips,
  };
}

function newInvitation(
  ctx: FlowContext,
  event: EventProjectionDoc,
  actor: Actor,
  target: Target,
  options: SendOptions,
  now: Date,
  causes: Causes,
): InvitationDoc {
  const id = randomUUID();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + options.expires_in_ms);
  const doc: InvitationDoc = {
    _id: id,
    event_id: event._id,
    email: target.email,
    full_name: target.full_name ?? '',
    invitee_user_id: target.user_id ?? null,
    invited_by: { user_id: actor.id, name: actor.name || actor.username, email: actor.email },
    role: target.role ?? options.role,
    message: options.message,
    status: 'pending',
    reservation: null,
    reservation_at: null,
    registration_id: null,
    is_vip: options.is_vip,
    bypass_capacity: options.bypass_capacity,
    phone: null,
    expires_at: expiresAt,
    responded_at: null,
    resend_count: 0,
    token_hash: hashToken(token),
    token_sealed: sealToken(token, ctx.linkKey, id),
    open_key: openKey(event._id, target.email),
    remind_at: reminderDueAt(now, expiresAt, ctx.policy.reminderLeadMs),
    reminded_at: null,
    event_title: event.title,
    event_start_time: event.start_time,
    created_at: now,
    updated_at: now,
    outbox: [],
    outbox_at: now,
  };
  doc.outbox = [announce.sent(doc, event, ctx.publicUrl, causes)];
  return doc;
}
