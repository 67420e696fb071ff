import { settleFeedback } from '../store/feedback-queries.ts';
import type { FeedbackDoc } from '../store/models.ts';
import { applyToSummary } from '../store/summary-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * Step two of every create, edit and delete (decision 0050): the change recorded as pending on the
 * feedback document goes into the event's summary (idempotently, keyed by feedback id and version),
 * then the pending mark is cleared (or the deleted feedback removed). A crash between the steps
 * leaves the mark, and the recovery sweep runs this again; running it twice changes nothing.
 */
export async function settleSummaryChange(
  ctx: FlowContext,
  feedback: Pick<FeedbackDoc, '_id' | 'event_id' | 'deleted_at' | 'pending'>,
): Promise<void> {
  const pending = feedback.pending;
  if (!pending) return;
  await applyToSummary(ctx.store, feedback.event_id, feedback._id, pending, ctx.now());
  await settleFeedback(ctx.store, feedback, pending.version);
}

/** As above, but a failure only delays the summary (the sweep finishes it); the change itself stands. */
export async function settleSoon(ctx: FlowContext, feedback: Parameters<typeof settleSummaryChange>[1]) {
  try {
    await settleSummaryChange(ctx, feedback);
  } catch (err) {
    ctx.logger.warn({ err, feedback_id: feedback._id }, 'summary change left for the recovery sweep');
  }
}
