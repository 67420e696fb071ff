import { findUnsettled } from '../store/feedback-queries.ts';
import type { FlowContext } from './context.ts';
import { settleSummaryChange } from './settle-summary-change.ts';

/**
 * The recovery half of decision 0050: feedback whose summary change has been pending for longer
 * than a request takes (a crash between the two steps) is settled now. Safe on several replicas
 * at once: applying a change is keyed by feedback id and version, so it lands once.
 */
export async function finishUnsettledChanges(
  ctx: FlowContext,
  { olderThanMs, batch = 200 }: { olderThanMs: number; batch?: number },
): Promise<{ settled: number }> {
  const cutoff = new Date(ctx.now().getTime() - olderThanMs);
  let settled = 0;
  // Bounded: a document that would not settle must not keep one run going forever.
  for (let round = 0; round < 50; round++) {
    const stale = await findUnsettled(ctx.store, cutoff, batch);
    for (const feedback of stale) {
      await settleSummaryChange(ctx, feedback);
      settled++;
    }
    if (stale.length < batch) break;
  }
  return { settled };
}
