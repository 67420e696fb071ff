import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Attempt {
  at: Date;
  outcome: 'sent' | 'retry' | 'failed' | 'dead';
  error: string | null;
  response_code: number | null;
}

/**
 * One email. The delivery log is also the send queue: `queued` deliveries whose `next_attempt_at`
 * has come and whose lease is over are claimed by a sender (any replica) and sent.
 */
export interface DeliveryDoc {
  /** `<source event id>:<message type>:<recipient email>`: the same event never mails the same person twice. */
  _id: string;
  template: string;
  category: string;
  essential: boolean;
  recipient: { email: string; name: string; user_id: string | null };
  source: { event_id: string; type: string; subject: string };
  data: Record<string, unknown>;
  /**
   * What the recipient's inbox entry links to, kept so that someone with no account yet gets the
   * entry when they register (null: this mail makes no inbox entry, e.g. a set-password link).
   */
  inbox_links: Record<string, string | null> | null;
  status: DeliveryStatus;
  attempts: number;
  attempt_log: Attempt[];
  last_error: string | null;
  provider_message_id: string | null;
  next_attempt_at: Date;
  lease_until: Date;
  lease_token: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  /** The trace the delivery was queued in (W3C traceparent), so the send continues it; null untraced. */
  traceparent?: string | null;
}

const DeliverySchema = new Schema<DeliveryDoc>(
  {
    _id: String,
    template: String,
    category: String,
    essential: Boolean,
    recipient: { email: String, name: String, user_id: { type: String, default: null } },
    source: { event_id: String, type: String, subject: String },
    data: { type: Schema.Types.Mixed, default: {} },
    inbox_links: { type: Schema.Types.Mixed, default: null },
    status: { type: String, enum: DELIVERY_STATUSES, default: 'queued' },
    attempts: { type: Number, default: 0 },
    attempt_log: { type: Schema.Types.Mixed, default: () => [] },
    last_error: { type: String, default: null },
    provider_message_id: { type: String, default: null },
    next_attempt_at: Date,
    lease_until: Date,
    lease_token: { type: String, default: null },
    created_at: Date,
    updated_at: Date,
    sent_at: { type: Date, default: null },
    traceparent: { type: String, default: null },
  },
  { collection: 'deliveries', versionKey: false, minimize: false },
);
// The sender's claim: queued deliveries that are due, oldest due first.
DeliverySchema.index({ status: 1, next_attempt_at: 1 });
// The sender reads back what it claimed in one batch.
DeliverySchema.index({ lease_token: 1 });
// Admin log, newest first, optionally by status / recipient / template.
DeliverySchema.index({ created_at: -1 });
DeliverySchema.index({ status: 1, created_at: -1 });
// ... and, on user.registered, the mail sent to that address before the account existed.
DeliverySchema.index({ 'recipient.email': 1, created_at: -1 });
DeliverySchema.index({ template: 1, created_at: -1 });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (connection: Connection): DeliveryModel => modelOn(connection, 'Delivery', DeliverySchema);
