import type { User, UserStatus } from './user.ts';

export type BulkAction = 'activate' | 'deactivate';

export type Transition =
  | { kind: 'change'; to: UserStatus; event: 'user.activated' | 'user.deactivated' | 'user.updated' }
  | { kind: 'skip'; reason: string };

/**
 * What a bulk admin action does to one account. Activating an account that never set a password
 * sends it back to "invited" (it still needs a set-password link; resend one) rather than
 * producing an active account nobody can sign in to.
 */
export function transitionFor(action: BulkAction, user: User, actorId: string): Transition {
  if (action === 'activate') {
    if (user.status === 'active') return { kind: 'skip', reason: 'User is already active.' };
    if (user.status === 'invited') {
      return { kind: 'skip', reason: 'User has not set a password yet; resend the invitation instead.' };
    }
    if (user.password_hash === null) return { kind: 'change', to: 'invited', event: 'user.updated' };
    return { kind: 'change', to: 'active', event: 'user.activated' };
  }
  if (user.id === actorId) return { kind: 'skip', reason: 'You cannot deactivate your own account.' };
  if (user.status === 'disabled') return { kind: 'skip', reason: 'User is already inactive.' };
  return { kind: 'change', to: 'disabled', event: 'user.deactivated' };
}
