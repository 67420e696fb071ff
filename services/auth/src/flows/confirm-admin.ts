import type { User } from '../domain/user.ts';
import { notAnActiveAdmin } from '../errors.ts';
import type { FlowContext } from './context.ts';

/**
 * The caller as an admin, checked against the database and not only the token: a demoted or
 * deactivated admin loses access at once, not when their access token expires.
 */
export async function confirmAdmin(ctx: FlowContext, claimedId: string): Promise<User> {
  const user = await ctx.users.byId(claimedId);
  if (user?.role !== 'admin' || user.status !== 'active') throw notAnActiveAdmin();
  return user;
}
