import type { EventSnapshot } from '@convene/contracts';
import { deleteFeedbackOf } from '../store/feedback-queries.ts';
import { forgetAttendances, tombstoneEvent } from '../store/projection.ts';
import type { Store } from '../store/store.ts';
import { deleteSummary } from '../store/summary-queries.ts';

/**
 * An event deleted at events takes its feedback with it. The tombstone goes first, so a feedback
 * being written meanwhile either is swept here or sees the tombstone and removes itself
 * (leave-feedback checks again after its insert). Every step is idempotent.
 */
export async function forgetDeletedEvent(
  store: Store,
  snapshot: EventSnapshot,
  at: Date,
): Promise<{ feedback: number }> {
  await tombstoneEvent(store, snapshot, at);
  const feedback = await deleteFeedbackOf(store, snapshot.event_id);
  await deleteSummary(store, snapshot.event_id);
  await forgetAttendances(store, snapshot.event_id);
  return { feedback };
}
