import { type SummaryView, summaryView } from '../domain/summary.ts';
import { mayReadFeedback } from '../domain/visibility.ts';
import { findMine, listForEvent } from '../store/feedback-queries.ts';
import type { FeedbackDoc } from '../store/models.ts';
import { readSummary } from '../store/summary-queries.ts';
import type { Actor, FlowContext, Outcome } from './context.ts';
import { knownEvent } from './know-event.ts';

async function readable(ctx: FlowContext, eventId: string, reader: Actor | undefined) {
  const event = await knownEvent(ctx, eventId);
  if (!event) return { ok: false as const, reason: 'event_not_found' as const };
  if (!mayReadFeedback(event, reader)) return { ok: false as const, reason: 'hosts_only' as const };
  return { ok: true as const, event };
}

/** The paginated list (count, next, previous, results), newest first: anyone for public events, the hosts for invite-only ones. */
export async function listFeedback(
  ctx: FlowContext,
  eventId: string,
  reader: Actor | undefined,
  page: { skip: number; limit: number },
): Promise<Outcome<{ count: number; results: FeedbackDoc[] }>> {
  const access = await readable(ctx, eventId, reader);
  if (!access.ok) return access;
  return { ok: true, ...(await listForEvent(ctx.store, eventId, page)) };
}

/** count, average, distribution — read from the counters, never by scanning the feedback. */
export async function summarizeFeedback(
  ctx: FlowContext,
  eventId: string,
  reader: Actor | undefined,
): Promise<Outcome<{ summary: SummaryView }>> {
  const access = await readable(ctx, eventId, reader);
  if (!access.ok) return access;
  return { ok: true, summary: summaryView(await readSummary(ctx.store, eventId)) };
}

export async function readMyFeedback(
  ctx: FlowContext,
  eventId: string,
  actor: Actor,
): Promise<Outcome<{ feedback: FeedbackDoc }>> {
  const event = await knownEvent(ctx, eventId);
  if (!event) return { ok: false, reason: 'event_not_found' };
  const mine = await findMine(ctx.store, eventId, actor.id);
  if (!mine || mine.deleted_at) return { ok: false, reason: 'feedback_not_found' };
  return { ok: true, feedback: mine };
}
