import { outboxFields } from '@convene/bus';
import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import type { CancelReason, RegistrationStatus, TransitionKind } from '../domain/registration-states.ts';

/** The move a registration is in the middle of (step 1 of the two-phase recipe). */
export interface RegistrationTxn {
  id: string;
  kind: TransitionKind;
  /** A move the request may fall back to if the first is refused (register → join the waitlist). */
  fallback: TransitionKind | null;
  reason: CancelReason | null;
  at: Date;
}

export interface RegistrationDoc {
  _id: string;
  event_id: string;
  /** User id, or `email:<address>` for an invitee without an account. One registration per (event, user_key). */
  user_key: string;
  user_id: string | null;
  user_name: string;
  user_email: string;
  status: RegistrationStatus;
  bypassed: boolean;
  promoted: boolean;
  invitation_id: string | null;
  waitlist_pos: number | null;
  offer_expires_at: Date | null;
  checked_in: boolean;
  checked_in_at: Date | null;
  cancel_reason: CancelReason | null;
  reject_reason: string | null;
  /**
   * Copies of the event's times, so "my active / past registrations" is one indexed query. Null
   * while a registration inserted by the register shortcut is still `new` (step 3 copies them).
   */
  event_start_time: Date;
  event_end_time: Date;
  /** The event `version` those copies come from; a copy never overwrites a newer one. */
  event_version: number;
  registered_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  txn: RegistrationTxn | null;
  /** Ids of the last moves finished (step 3), so recovery can tell a finished move from an abandoned one. */
  done_txns: string[];
  created_at: Date;
  updated_at: Date;
  outbox: unknown[];
  outbox_at: Date | null;
}

const TxnSchema = new Schema<RegistrationTxn>(
  {
    id: String,
    kind: String,
    fallback: { type: String, default: null },
    reason: { type: String, default: null },
    at: Date,
  },
  { _id: false },
);

export const RegistrationSchema = new Schema<RegistrationDoc>(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    event_id: { type: String, required: true },
    user_key: { type: String, required: true },
    user_id: { type: String, default: null },
    user_name: { type: String, default: '' },
    user_email: { type: String, default: '' },
    status: { type: String, required: true },
    bypassed: { type: Boolean, default: false },
    promoted: { type: Boolean, default: false },
    invitation_id: { type: String, default: null },
    waitlist_pos: { type: Number, default: null },
    offer_expires_at: { type: Date, default: null },
    checked_in: { type: Boolean, default: false },
    checked_in_at: { type: Date, default: null },
    cancel_reason: { type: String, default: null },
    reject_reason: { type: String, default: null },
    event_start_time: { type: Date, required: true },
    event_end_time: { type: Date, required: true },
    event_version: { type: Number, default: 0 },
    registered_at: { type: Date, required: true },
    confirmed_at: { type: Date, default: null },
    cancelled_at: { type: Date, default: null },
    txn: { type: TxnSchema, default: null },
    done_txns: { type: [String], default: [] },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { collection: 'registrations', versionKey: false, minimize: false },
);
RegistrationSchema.add(outboxFields);

// Register / "already registered" / invitation idempotency: one registration per person per event.
RegistrationSchema.index({ event_id: 1, user_key: 1 }, { unique: true });
// Participants (by status, oldest first), waitlist head for promotion (status waitlisted, by waitlist_pos).
// (`_id` last: the participants list breaks ties by it, so pages come out of the index in order.)
RegistrationSchema.index({ event_id: 1, status: 1, registered_at: 1, _id: 1 });
RegistrationSchema.index({ event_id: 1, status: 1, waitlist_pos: 1 });
// My registrations (all / active / past), ordered by the event's start, ties by `_id`.
RegistrationSchema.index({ user_key: 1, event_start_time: 1, _id: 1 });
// invitation.cancelled: the registration an invitation produced.
RegistrationSchema.index({ invitation_id: 1 });
// Recovery: registrations holding a move older than the timeout.
RegistrationSchema.index({ 'txn.at': 1 });
// Offer lapse job: {status: 'offered', offer_expires_at < now}.
RegistrationSchema.index({ status: 1, offer_expires_at: 1 });

export type RegistrationModel = Model<RegistrationDoc>;

export function registrationModel(connection: Connection): RegistrationModel {
  return modelOn<RegistrationDoc, RegistrationModel>(connection, 'Registration', RegistrationSchema);
}
