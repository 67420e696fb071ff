import { notificationNotFound } from '../errors.ts';
import { countUnread, listNotifications, markAllRead, markRead } from '../store/inbox.ts';
import type { NotificationDoc } from '../store/notification-model.ts';
import type { Store } from '../store/store.ts';

export function readInbox(store: Store, userId: string, opts: { unreadOnly: boolean; skip: number; limit: number }) {
  return listNotifications(store, userId, opts);
}

export function unreadCount(store: Store, userId: string) {
  return countUnread(store, userId);
}

/** Marks one of the caller's notifications read; someone else's is as missing as a made-up id. */
export async function markNotificationRead(
  store: Store,
  userId: string,
  id: string,
  now: Date,
): Promise<NotificationDoc> {
  const doc = await markRead(store, userId, id, now);
  if (!doc) throw notificationNotFound();
  return doc;
}

export function markEverythingRead(store: Store, userId: string, now: Date) {
  return markAllRead(store, userId, now);
}
