import { closesAt } from '../domain/eligibility.ts';
import { deltaOf } from '../domain/summary.ts';
import { changeFeedback, findMine } from '../store/feedback-queries.ts';
import type { FeedbackDoc } from '../store/models.ts';
import type { Actor, FlowContext, Outcome } from './context.ts';
import { knownEvent } from './know-event.ts';
import type { FeedbackInput } from './leave-feedback.ts';
import { settleSoon, settleSummaryChange } from './settle-summary-change.ts';

const ATTEMPTS = 5;

/**
 * Edit or delete one's own feedback. A registration cancelled later does not take feedback away,
 * so only ownership (and, for edits, the feedback window) is checked. The change and its pending
 * summary delta are one conditional update from the version read; an earlier change still pending
 * is settled first, so the summary receives changes one at a time.
 */
async function changeMine(
  ctx: FlowContext,
  eventId: string,
  actor: Actor,
  change: (current: FeedbackDoc) => {
    set: { rating: number; comment: string } | { deleted_at: Date };
    after: number | null;
  },
  { checkWindow }: { checkWindow: boolean },
): Promise<Outcome<{ feedback: FeedbackDoc }>> {
  const event = await knownEvent(ctx, eventId);
  if (!event) return { ok: false, reason: 'event_not_found' };
  if (checkWindow && ctx.now() > closesAt(event, ctx.policy)) {
    return { ok: false, reason: 'closed', closedAt: closesAt(event, ctx.policy) };
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await findMine(ctx.store, eventId, actor.id);
    if (!current || current.deleted_at) return { ok: false, reason: 'feedback_not_found' };
    if (current.pending) {
      await settleSummaryChange(ctx, current);
      continue;
    }
    const { set, after } = change(current);
    const written = await changeFeedback(ctx.store, current, set, deltaOf(current.rating, after), ctx.now());
    if (!written) continue; // changed meanwhile: read again
    await settleSoon(ctx, written);
    return { ok: true, feedback: written };
  }
  return { ok: false, reason: 'busy' };
}

export function editMyFeedback(ctx: FlowContext, eventId: string, actor: Actor, input: FeedbackInput) {
  return changeMine(ctx, eventId, actor, () => ({ set: { ...input }, after: input.rating }), { checkWindow: true });
}

export function deleteMyFeedback(ctx: FlowContext, eventId: string, actor: Actor) {
  return changeMine(ctx, eventId, actor, () => ({ set: { deleted_at: ctx.now() }, after: null }), {
    checkWindow: false,
  });
}
