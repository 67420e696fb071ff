import { type BulkAction, transitionFor } from '../domain/bulk-action.ts';
import type { User } from '../domain/user.ts';
import type { AuthDeps } from './deps.ts';
import { userActivated, userDeactivated, userUpdated } from './events.ts';

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
export async function bulkUpdateStatus(
  deps: AuthDeps,
  admin: User,
  action: BulkAction,
  ids: string[],
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { action, updated: [], skipped: [], not_found: [] };
  for (const id of [...new Set(ids)]) {
    const result = await applyTo(deps, admin, action, id);
    if (result === 'updated') outcome.updated.push(id);
    else if (result === 'not_found') outcome.not_found.push(id);
    else outcome.skipped.push({ id, reason: result.reason });
  }
  if (outcome.updated.length) deps.nudge();
  return outcome;
}

async function applyTo(
  deps: AuthDeps,
  admin: User,
  action: BulkAction,
  id: string,
): Promise<'updated' | 'not_found' | { reason: string }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await deps.users.byId(id);
    if (!user) return 'not_found';
    const transition = transitionFor(action, user, admin.id);
    if (transition.kind === 'skip') return { reason: transition.reason };

    const now = deps.now();
    if (transition.to === 'disabled') await deps.sessions.revokeAllOf(user.id, 'deactivated', now);
    const next: User = { ...user, status: transition.to, updated_at: now };
    if (transition.to === 'disabled') next.invitation = null;
    const event =
      transition.event === 'user.activated'
        ? userActivated(next)
        : transition.event === 'user.deactivated'
          ? userDeactivated(next)
          : userUpdated(next, ['status']);
    const saved = await deps.users.change(user, {
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
