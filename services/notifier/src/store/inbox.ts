import type { NotificationDoc } from './notification-model.ts';
import type { Store } from './store.ts';

/** Adds inbox entries that do not exist yet; resolves with the ones written now (to push them). */
export async function addNotifications(store: Store, entries: NotificationDoc[]): Promise<NotificationDoc[]> {
  if (entries.length === 0) return [];
  const written = await Promise.all(entries.map((e) => store.batch.insertNotification(e)));
  return entries.filter((_, i) => written[i]);
}

export async function listNotifications(
  store: Store,
  userId: string,
  { unreadOnly, skip, limit }: { unreadOnly: boolean; skip: number; limit: number },
): Promise<{ count: number; results: NotificationDoc[] }> {
  const query = unreadOnly ? { user_id: userId, read_at: null } : { user_id: userId };
  const [count, results] = await Promise.all([
    store.notifications.countDocuments(query),
    store.notifications.find(query).sort({ created_at: -1, _id: 1 }).skip(skip).limit(limit).lean<NotificationDoc[]>(),
  ]);
  return { count, results };
}

export function countUnread(store: Store, userId: string): Promise<number> {
  return store.notifications.countDocuments({ user_id: userId, read_at: null });
}

/** Marks one of the user's entries read (once: a second call keeps the first time). Null when not theirs. */
export async function markRead(store: Store, userId: string, id: string, now: Date): Promise<NotificationDoc | null> {
  await store.notifications.updateOne({ _id: id, user_id: userId, read_at: null }, { $set: { read_at: now } });
  return store.notifications.findOne({ _id: id, user_id: userId }).lean<NotificationDoc>();
}

export async function markAllRead(store: Store, userId: string, now: Date): Promise<number> {
  const updated = await store.notifications.updateMany({ user_id: userId, read_at: null }, { $set: { read_at: now } });
  return updated.modifiedCount;
}
