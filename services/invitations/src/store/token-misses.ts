import type { Store } from './store.ts';

/** Unknown tokens this client tried in this window (`<client>|<window start ms>`). */
export async function missesOf(store: Store, key: string): Promise<number> {
  const misses = await store.tokenMisses.findById(key, { count: 1 }).lean<{ count: number }>();
  return misses?.count ?? 0;
}

/** One more miss, atomically, so every replica counts into the same window. */
export async function countMiss(store: Store, key: string, windowStart: Date): Promise<void> {
  await store.tokenMisses.updateOne(
    { _id: key },
    { $inc: { count: 1 }, $setOnInsert: { window_start: windowStart } },
    { upsert: true },
  );
}

/** Windows that ended before `cutoff` (the expiry job sweeps them). */
export async function forgetMissesBefore(store: Store, cutoff: Date): Promise<number> {
  const done = await store.tokenMisses.deleteMany({ window_start: { $lt: cutoff } });
  return done.deletedCount;
}
