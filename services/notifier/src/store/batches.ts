import { coalesce } from './coalesce.ts';
import type { Attempt, DeliveryDoc, DeliveryModel } from './delivery-model.ts';
import { insertNewAt } from './insert-new.ts';
import type { NotificationDoc, NotificationModel } from './notification-model.ts';
import type {
  EventViewDoc,
  EventViewModel,
  PreferenceModel,
  RecipientDoc,
  RecipientModel,
} from './projection-models.ts';

/**
 * The per-message reads and writes of the consumers, batched across the messages being handled at
 * the same time (see coalesce.ts): under a burst, one `$in` read or one insertMany serves many
 * messages. Each answers exactly what the single-document call it replaces would.
 */
export interface Batches {
  /** The recipient with this (normalised) email, or null. */
  recipientByEmail(email: string): Promise<RecipientDoc | null>;
  eventView(eventId: string): Promise<EventViewDoc | null>;
  /** The categories opted out of under this preference id (`user:<id>` / `email:<address>`), or null. */
  optedOut(preferenceId: string): Promise<string[] | null>;
  /** Whether this delivery was inserted now (false: its key exists). */
  insertDelivery(doc: DeliveryDoc): Promise<boolean>;
  insertNotification(doc: NotificationDoc): Promise<boolean>;
  /** Records that SMTP accepted the delivery (only if `token` still holds its claim). */
  markSent(sent: { id: string; token: string; now: Date; messageId: string | null }): Promise<void>;
}

export function createBatches(models: {
  deliveries: DeliveryModel;
  notifications: NotificationModel;
  recipients: RecipientModel;
  events: EventViewModel;
  preferences: PreferenceModel;
}): Batches {
  return {
    recipientByEmail: coalesce(async (emails: string[]) => {
      const docs = await models.recipients.find({ email: { $in: [...new Set(emails)] } }).lean<RecipientDoc[]>();
      const byEmail = new Map<string, RecipientDoc>();
      for (const doc of docs) if (!byEmail.has(doc.email)) byEmail.set(doc.email, doc);
      return emails.map((email) => byEmail.get(email) ?? null);
    }),
    eventView: coalesce(async (ids: string[]) => {
      const docs = await models.events.find({ _id: { $in: [...new Set(ids)] } }).lean<EventViewDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    optedOut: coalesce(async (ids: string[]) => {
      const docs = await models.preferences.find({ _id: { $in: [...new Set(ids)] } }).lean();
      const byId = new Map(docs.map((d) => [d._id as string, d.opted_out as string[]]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    insertDelivery: coalesce((docs: DeliveryDoc[]) => insertNewAt(models.deliveries.collection, docs)),
    insertNotification: coalesce((docs: NotificationDoc[]) => insertNewAt(models.notifications.collection, docs)),
    markSent: coalesce(async (sent: Array<{ id: string; token: string; now: Date; messageId: string | null }>) => {
      await models.deliveries.bulkWrite(
        sent.map(({ id, token, now, messageId }) => {
          const attempt: Attempt = { at: now, outcome: 'sent', error: null, response_code: null };
          return {
            updateOne: {
              filter: { _id: id, lease_token: token },
              update: {
                $set: {
                  status: 'sent' as const,
                  provider_message_id: messageId,
                  sent_at: now,
                  updated_at: now,
                  lease_token: null,
                  lease_until: now,
                },
                $inc: { attempts: 1 },
                $push: { attempt_log: attempt },
              },
            },
          };
        }),
        { ordered: false },
      );
      return sent.map(() => undefined);
    }),
  };
}
