import type { EventSnapshot } from '@convene/contracts';
import { deleteFeedbackOf } from '../store/feedback-queries.ts';
import { forgetAttendances, tombstoneEvent } from '../store/projection.ts';
import { deleteSummary } from '../store/summary-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * An event deleted at events takes its feedback with it. The tombstone goes first, so a feedback
 * being written meanwhile either is swept here or sees the tombstone and removes itself
 * (leave-feedback checks again after its insert). Every step is idempotent.
 */
export async function forgetDeletedEvent(
  ctx: FlowContext,
  snapshot: EventSnapshot,
  at: Date,
): Promise<{ feedback: number }> {
  await tombstoneEvent(ctx.store, snapshot, at);
  const feedback = await deleteFeedbackOf(ctx.store, snapshot.event_id);
  await deleteSummary(ctx.store, snapshot.event_id);
  await forgetAttendances(ctx.store, snapshot.event_id);
  ctx.logger.info({ event_id: snapshot.event_id, feedback }, 'event.deleted: feedback removed');
  return { feedback };
}
