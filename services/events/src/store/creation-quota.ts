import { isDuplicateKey } from '@convene/kit';
import { type QuotaPolicy, retryAfterSeconds } from '../domain/creation-quota.ts';
import type { Store } from './store.ts';

export type QuotaOutcome = { ok: true; stamp: Date } | { ok: false; retryAfterSec: number };

/**
 * Takes one creation slot for `userId`, atomically across replicas: the per-user document keeps
 * the last `limit` creation times (oldest first) and one conditional update admits the creation
 * only if fewer than `limit` of them fall inside the window.
 */
export async function takeCreationSlot(
  store: Store,
  userId: string,
  policy: QuotaPolicy,
  now: Date,
): Promise<QuotaOutcome> {
  try {
    await store.quotas.updateOne({ _id: userId }, { $setOnInsert: { stamps: [] } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // a concurrent first creation inserted it
  }
  const cutoff = new Date(now.getTime() - policy.windowMs);
  const admitted = await store.quotas.updateOne(
    {
      _id: userId,
      $or: [{ [`stamps.${policy.limit - 1}`]: { $exists: false } }, { 'stamps.0': { $lte: cutoff } }],
    },
    { $push: { stamps: { $each: [now], $slice: -policy.limit } } },
  );
  if (admitted.modifiedCount === 1) return { ok: true, stamp: now };
  const doc = await store.quotas.findById(userId).lean<{ stamps: Date[] }>();
  return { ok: false, retryAfterSec: retryAfterSeconds(doc?.stamps ?? [], now, policy) };
}

/** The creation failed after its slot was taken: give the slot back. */
export async function returnCreationSlot(store: Store, userId: string, stamp: Date): Promise<void> {
  await store.quotas.updateOne({ _id: userId }, { $pull: { stamps: stamp } });
}
