import { isDuplicateKey } from './registrations.ts';
import type { Store } from './store.ts';

/**
 * A named lease: at most one holder at a time across replicas and the CLI. `minIntervalMs`
 * additionally spaces scheduled runs (a run that finished recently counts as "not due").
 */
export async function acquireLease(
  store: Store,
  name: string,
  holder: string,
  { ttlMs, minIntervalMs, now = new Date() }: { ttlMs: number; minIntervalMs?: number; now?: Date },
): Promise<boolean> {
  try {
    await store.leases.updateOne(
      { _id: name },
      { $setOnInsert: { holder: null, until: new Date(0), last_run_at: null } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const filter: Record<string, unknown> = { _id: name, until: { $lt: now } };
  if (minIntervalMs) {
    filter.$or = [{ last_run_at: null }, { last_run_at: { $lte: new Date(now.getTime() - minIntervalMs) } }];
  }
  const taken = await store.leases.updateOne(filter, { $set: { holder, until: new Date(now.getTime() + ttlMs) } });
  return taken.modifiedCount === 1;
}

/** Extends a lease still held by `holder` (long runs); false when it was lost. */
export async function renewLease(store: Store, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const renewed = await store.leases.updateOne(
    { _id: name, holder },
    { $set: { until: new Date(Date.now() + ttlMs) } },
  );
  return renewed.matchedCount === 1;
}

export async function releaseLease(
  store: Store,
  name: string,
  holder: string,
  { ran }: { ran: boolean },
): Promise<void> {
  await store.leases.updateOne(
    { _id: name, holder },
    { $set: { holder: null, until: new Date(0), ...(ran ? { last_run_at: new Date() } : {}) } },
  );
}
