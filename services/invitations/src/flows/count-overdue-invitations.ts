import { countOverdue } from '../store/expiry.ts';
import type { FlowContext } from './context.ts';

/** What expireOverdueInvitations would expire now (`invitations:expire --dry-run`). */
export function countOverdueInvitations(ctx: FlowContext): Promise<number> {
  return countOverdue(ctx.store, ctx.now());
}
