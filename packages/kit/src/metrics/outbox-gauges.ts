import type { OutboxModel } from '@convene/bus';
import type { ServiceMetrics } from './service-metrics.ts';

/** Documents read to find the oldest waiting envelope: enough for any backlog the relay keeps up with. */
const OLDEST_SAMPLE = 100;

interface Pending {
  outbox?: Array<{ time?: string }>;
}

/**
 * The outbox of every collection a relay publishes, read when scraped: how many documents have
 * envelopes waiting, and how long the oldest has waited. Two small queries per collection and
 * scrape; the local MongoDB-wire store scans for them (it keeps no non-unique index), which costs
 * nothing while outboxes are drained within a second, as they are unless the broker is away.
 * The oldest is looked for among the OLDEST_SAMPLE documents due first (a claimed document's
 * `outbox_at` is its lease, so due order is nearly, not exactly, age order).
 */
export function outboxGauges(metrics: ServiceMetrics, models: () => readonly OutboxModel[], now: () => Date): void {
  metrics.scraped({
    name: 'convene_outbox_backlog',
    help: 'Documents with envelopes not yet confirmed by the broker, by collection.',
    labelNames: ['collection'],
    read: () =>
      Promise.all(
        models().map(async (model) => ({
          labels: { collection: model.collection.collectionName },
          value: await model.collection.countDocuments({ outbox_at: { $ne: null } }),
        })),
      ),
  });
  metrics.scraped({
    name: 'convene_outbox_oldest_age_seconds',
    help: 'How long the oldest envelope not yet confirmed has waited (0 when none waits), by collection.',
    labelNames: ['collection'],
    read: () =>
      Promise.all(
        models().map(async (model) => ({
          labels: { collection: model.collection.collectionName },
          value: await oldestAgeSeconds(model, now()),
        })),
      ),
  });
}

async function oldestAgeSeconds(model: OutboxModel, at: Date): Promise<number> {
  const pending = (await model.collection
    .find({ outbox_at: { $ne: null } }, { sort: { outbox_at: 1 }, limit: OLDEST_SAMPLE, projection: { outbox: 1 } })
    .toArray()) as Pending[];
  let oldest = at.getTime();
  for (const doc of pending) {
    const written = Date.parse(doc.outbox?.[0]?.time ?? '');
    if (written < oldest) oldest = written;
  }
  return Math.max(0, (at.getTime() - oldest) / 1000);
}
