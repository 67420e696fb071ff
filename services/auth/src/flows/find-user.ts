import { userNotFound } from '../errors.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';

/** One account by id, for admins and for services whose projection missed it; 404 when there is none. */
export async function findUser(ctx: FlowContext, id: string): Promise<VersionedUser> {
  const user = await ctx.users.byId(id);
  if (!user) throw userNotFound();
  return user;
}
