import { notificationNotFound } from '../errors.ts';
import { countUnread, listNotifications, markAllRead, markRead } from '../store/inbox.ts';
import type { NotificationDoc } from '../store/notification-model.ts';
import type { FlowContext } from './context.ts';

export function readInbox(
  flows: FlowContext,
  userId: string,
  opts: { unreadOnly: boolean; skip: number; limit: number },
) {
  return listNotifications(flows.store, userId, opts);
}

export function unreadCount(flows: FlowContext, userId: string) {
  return countUnread(flows.store, userId);
}

/** Marks one of the caller's notifications read; someone else's is as missing as a made-up id. */
export async function markNotificationRead(flows: FlowContext, userId: string, id: string): Promise<NotificationDoc> {
  const doc = await markRead(flows.store, userId, id, flows.now());
  if (!doc) throw notificationNotFound();
  return doc;
}

export function markEverythingRead(flows: FlowContext, userId: string) {
  return markAllRead(flows.store, userId, flows.now());
}
