import { ensureIndexes as ensureModelIndexes } from '@convene/kit';
import type { Connection } from 'mongoose';
import { type Batches, createBatches } from './batches.ts';
import { type DeliveryModel, deliveryModel } from './delivery-model.ts';
import { type NotificationModel, notificationModel } from './notification-model.ts';
import {
  type EventViewModel,
  eventViewModel,
  type ParticipantModel,
  type PreferenceModel,
  participantModel,
  preferenceModel,
  type RecipientModel,
  recipientModel,
} from './projection-models.ts';

/** The notifier's collections, bound to its own connection. */
export interface Store {
  connection: Connection;
  deliveries: DeliveryModel;
  notifications: NotificationModel;
  recipients: RecipientModel;
  events: EventViewModel;
  participants: ParticipantModel;
  preferences: PreferenceModel;
  /** The consumers' per-message reads and writes, batched across concurrent messages. */
  batch: Batches;
}

export function createStore(connection: Connection): Store {
  const models = {
    deliveries: deliveryModel(connection),
    notifications: notificationModel(connection),
    recipients: recipientModel(connection),
    events: eventViewModel(connection),
    participants: participantModel(connection),
    preferences: preferenceModel(connection),
  };
  return { connection, ...models, batch: createBatches(models) };
}

export async function ensureIndexes(store: Store): Promise<void> {
  await ensureModelIndexes([
    store.deliveries,
    store.notifications,
    store.recipients,
    store.events,
    store.participants,
    store.preferences,
  ]);
}
