import { userInactive } from '../errors.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

/** The signed-in account as it is now (a token outliving a deactivation gets 401, not the account). */
export async function readOwnProfile(ctx: FlowContext, userId: string): Promise<VersionedUser> {
  const user = await ctx.users.byId(userId);
  if (user?.status !== 'active') throw userInactive();
  return user;
}
