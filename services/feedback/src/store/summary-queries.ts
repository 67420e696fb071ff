import { isDuplicateKey } from '@convene/kit';
import type { SummaryCounters, SummaryDelta } from '../domain/summary.ts';
import type { PendingChange, SummaryDoc } from './models.ts';
import type { Store } from './store.ts';

function increments(delta: SummaryDelta): Record<string, number> {
  const inc: Record<string, number> = { count: delta.count, sum: delta.sum };
  for (const [rating, by] of Object.entries(delta.distribution)) inc[`distribution.${rating}`] = by ?? 0;
  return inc;
}

async function createEmptySummary(store: Store, eventId: string, now: Date): Promise<void> {
  try {
    await store.summaries.updateOne(
      { _id: eventId },
      {
        $setOnInsert: {
          count: 0,
          sum: 0,
          distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
          applied: {},
          updated_at: now,
        },
      },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // created by a concurrent change: fine
  }
}

/**
 * Applies one feedback's pending change to its event's summary, at most once: the counters and
 * `applied.<feedback id>` change in the same single-document update, whose filter lets it through
 * only while the summary holds an older version of that feedback. Running it again (a retry, the
 * recovery sweep, a second replica) matches nothing. Returns true if this call applied it.
 */
export async function applyToSummary(
  store: Store,
  eventId: string,
  feedbackId: string,
  change: PendingChange,
  now: Date,
): Promise<boolean> {
  const key = `applied.${feedbackId}`;
  const filter = {
    _id: eventId,
    $or: [{ [key]: { $exists: false } }, { [key]: { $lt: change.version } }],
  };
  const update = { $inc: increments(change.delta), $set: { [key]: change.version, updated_at: now } };
  const first = await store.summaries.updateOne(filter, update);
  if (first.matchedCount === 1) return true;
  // No match: the summary does not exist yet, or it already holds this version. Only once the
  // summary surely exists does a non-match mean "applied before" (a concurrent first change may
  // create it between our update and any check, so no check is made: the update is repeated).
  await createEmptySummary(store, eventId, now);
  const second = await store.summaries.updateOne(filter, update);
  return second.matchedCount === 1;
}

export async function readSummary(store: Store, eventId: string): Promise<SummaryCounters | null> {
  return store.summaries
    .findById(eventId, { count: 1, sum: 1, distribution: 1 })
    .lean<Pick<SummaryDoc, 'count' | 'sum' | 'distribution'>>();
}

export async function deleteSummary(store: Store, eventId: string): Promise<void> {
  await store.summaries.deleteOne({ _id: eventId });
}
