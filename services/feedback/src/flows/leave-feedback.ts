import { envelope } from '@convene/contracts';
import { type Causes, causeFields } from '@convene/domain-kit';
import { deltaOf } from '../domain/summary.ts';
import { deleteOne, findMine, insertFeedback } from '../store/feedback-queries.ts';
import type { EventDoc, FeedbackDoc } from '../store/models.ts';
import { findEvent } from '../store/projection.ts';
import { checkAttendance } from './check-attendance.ts';
import type { Actor, FlowContext, Outcome } from './context.ts';
import { settleSoon, settleSummaryChange } from './settle-summary-change.ts';

export interface FeedbackInput {
  rating: number;
  comment: string;
}

function submitted(feedback: FeedbackDoc, event: EventDoc, actor: Actor, causes: Causes) {
  return envelope({
    type: 'feedback.submitted',
    source: 'feedback',
    subject: feedback._id,
    data: {
      feedback_id: feedback._id,
      event_id: feedback.event_id,
      event_title: event.title,
      host: { user_id: event.host_id, email: event.host_email, name: event.host_name },
      author: { user_id: actor.id, email: actor.email, name: actor.name },
      rating: feedback.rating,
      comment: feedback.comment,
      submitted_at: feedback.created_at.toISOString(),
    },
    ...causeFields(causes),
  });
}

/**
 * Only people who attended the event may leave feedback, once per event. The
 * feedback, its pending summary change and its feedback.submitted announcement are one insert;
 * the summary follows (settleSummaryChange). The relay publishes the announcement as soon as the
 * request has answered (openService nudges it after every successful write request).
 */
export async function leaveFeedback(
  ctx: FlowContext,
  eventId: string,
  actor: Actor,
  input: FeedbackInput,
  causes: Causes = {},
): Promise<Outcome<{ feedback: FeedbackDoc }>> {
  const check = await checkAttendance(ctx, eventId, actor);
  if (!check.found) return { ok: false, reason: 'event_not_found' };
  if (!check.verdict.ok) return check.verdict;
  const { event } = check;

  for (let attempt = 0; ; attempt++) {
    const inserted = await insertFeedback(
      ctx.store,
      { event_id: eventId, user_id: actor.id, user_name: actor.name, user_email: actor.email, ...input },
      deltaOf(null, input.rating),
      (feedback) => submitted(feedback, event, actor, causes),
      ctx.now(),
    );
    if (inserted.ok) {
      // An event deleted while this was written: its deletion may have swept before the insert.
      const after = await findEvent(ctx.store, eventId);
      if (!after || after.deleted) {
        await deleteOne(ctx.store, inserted.feedback._id);
        return { ok: false, reason: 'event_not_found' };
      }
      await settleSoon(ctx, inserted.feedback);
      return { ok: true, feedback: inserted.feedback };
    }
    // The one in the way may be a deleted feedback whose summary change is not applied yet.
    const existing = await findMine(ctx.store, eventId, actor.id);
    if (existing && !existing.deleted_at) return { ok: false, reason: 'duplicate' };
    if (attempt >= 2) return { ok: false, reason: 'busy' };
    if (existing) await settleSummaryChange(ctx, existing);
  }
}
