import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';

/** An entry of a signed-in user's inbox. */
export interface NotificationDoc {
  /** `<source event id>:<message type>:<user id>`: one entry per event, type and person. */
  _id: string;
  user_id: string;
  type: string;
  title: string;
  /** Ids a client links with: event_id, invitation_id, registration_id, url. */
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

const NotificationSchema = new Schema<NotificationDoc>(
  {
    _id: String,
    user_id: String,
    type: String,
    title: String,
    data: { type: Schema.Types.Mixed, default: {} },
    read_at: { type: Date, default: null },
    created_at: Date,
  },
  { collection: 'notifications', versionKey: false, minimize: false },
);
// The inbox list (newest first) and its unread count / read-all (user_id + read_at prefix).
NotificationSchema.index({ user_id: 1, created_at: -1 });
NotificationSchema.index({ user_id: 1, read_at: 1 });

export type NotificationModel = Model<NotificationDoc>;
export const notificationModel = (connection: Connection): NotificationModel =>
  modelOn(connection, 'Notification', NotificationSchema);
