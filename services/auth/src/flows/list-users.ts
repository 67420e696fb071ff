import type { UserStatus } from '../domain/user.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

export type StatusFilter = 'active' | 'inactive' | 'invited' | 'disabled';

const STATUSES: Record<StatusFilter, UserStatus[]> = {
  active: ['active'],
  invited: ['invited'],
  disabled: ['disabled'],
  // "inactive" (the legacy user-invitation API's word) is everyone who cannot sign in yet or any more
  inactive: ['invited', 'disabled'],
};

/** A page of accounts, newest first, optionally only those with one status (or "inactive"). */
export function listUsers(
  ctx: FlowContext,
  { status, skip, limit }: { status?: StatusFilter | undefined; skip: number; limit: number },
): Promise<{ count: number; results: VersionedUser[] }> {
  return ctx.users.list({ statuses: status ? STATUSES[status] : undefined, skip, limit });
}
