import type { DeliveryDoc } from '../store/delivery-model.ts';
import type { NotificationDoc } from '../store/notification-model.ts';

export function notificationView(doc: NotificationDoc) {
  return {
    id: doc._id,
    type: doc.type,
    title: doc.title,
    data: doc.data,
    is_read: doc.read_at !== null,
    read_at: doc.read_at ? new Date(doc.read_at).toISOString() : null,
    created_at: new Date(doc.created_at).toISOString(),
  };
}

export function deliveryView(doc: DeliveryDoc) {
  return {
    id: doc._id,
    template: doc.template,
    category: doc.category,
    recipient: doc.recipient,
    source_event_id: doc.source.event_id,
    source_type: doc.source.type,
    status: doc.status,
    attempts: doc.attempts,
    last_error: doc.last_error,
    provider_message_id: doc.provider_message_id,
    next_attempt_at: doc.status === 'queued' ? doc.next_attempt_at.toISOString() : null,
    attempt_log: doc.attempt_log.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    created_at: doc.created_at.toISOString(),
    sent_at: doc.sent_at ? doc.sent_at.toISOString() : null,
  };
}
