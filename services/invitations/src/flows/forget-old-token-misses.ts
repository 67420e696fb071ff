import { forgetMissesBefore } from '../store/token-misses.ts';
import type { FlowContext } from './context.ts';

/** Old windows are of no use to anyone (the expiry job sweeps them). */
export async function forgetOldTokenMisses(ctx: FlowContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - 2 * ctx.policy.missWindowMs);
  return forgetMissesBefore(ctx.store, cutoff);
}
