import { type BulkAction, transitionFor } from '../domain/bulk-action.ts';
import type { User } from '../domain/user.ts';
import { announce } from '../store/announcements.ts';
import type { FlowContext } from './context.ts';

export interface BulkOutcome {
  action: BulkAction;
  updated: string[];
  skipped: Array<{ id: string; reason: string }>;
  not_found: string[];
}

/**
 * Admin bulk activate / deactivate. Each account changes in its own update with its own event; a
 * deactivated account loses its sessions first, so user.deactivated is only ever announced for an
 * account whose refresh tokens no longer work.
 */
export async function activateOrDeactivateUsers(
  ctx: FlowContext,
  admin: User,
  action: BulkAction,
  ids: string[],
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { action, updated: [], skipped: [], not_found: [] };
  for (const id of [...new Set(ids)]) {
    const result = await applyTo(ctx, admin, action, id);
    if (result === 'updated') outcome.updated.push(id);
    else if (result === 'not_found') outcome.not_found.push(id);
    else outcome.skipped.push({ id, reason: result.reason });
  }
  return outcome;
}

async function applyTo(
  ctx: FlowContext,
  admin: User,
  action: BulkAction,
  id: string,
): Promise<'updated' | 'not_found' | { reason: string }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await ctx.users.byId(id);
    if (!user) return 'not_found';
    const transition = transitionFor(action, user, admin.id);
    if (transition.kind === 'skip') return { reason: transition.reason };

    const now = ctx.now();
    if (transition.to === 'disabled') await ctx.sessions.revokeAllOf(user.id, 'deactivated', now);
    const next: User = { ...user, status: transition.to, updated_at: now };
    if (transition.to === 'disabled') next.invitation = null;
    const event =
      transition.event === 'user.activated'
        ? announce.activated(next, now)
        : transition.event === 'user.deactivated'
          ? announce.deactivated(next, now)
          : announce.updated(next, ['status'], now);
    const saved = await ctx.users.change(user, {
      set: transition.to === 'disabled' ? { status: transition.to, invitation: null } : { status: transition.to },
      ...(transition.to === 'disabled' && user.invitation
        ? { pastInvitation: { token_hash: user.invitation.token_hash, outcome: 'revoked' as const } }
        : {}),
      events: [event],
      now,
    });
    if (saved) return 'updated';
  }
  return { reason: 'The user was changed at the same time; try again.' };
}
