import { emailKey } from '@convene/domain-kit';
import type { Store } from './store.ts';

const userKey = (userId: string) => `user:${userId}`;

export async function userPreferences(store: Store, userId: string): Promise<string[]> {
  const doc = await store.preferences.findById(userKey(userId)).lean();
  return doc?.opted_out ?? [];
}

export async function setUserPreferences(store: Store, userId: string, optedOut: string[], now: Date): Promise<void> {
  await store.preferences.updateOne(
    { _id: userKey(userId) },
    { $set: { opted_out: [...new Set(optedOut)], updated_at: now } },
    { upsert: true },
  );
}

/** The one-click unsubscribe: adds a category to the address's opt-outs (idempotent). */
export async function unsubscribeEmail(store: Store, email: string, category: string, now: Date): Promise<void> {
  await store.preferences.updateOne(
    { _id: emailKey(email) },
    { $addToSet: { opted_out: category }, $set: { updated_at: now } },
    { upsert: true },
  );
}
