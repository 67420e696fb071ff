import { outboxFields } from '@convene/bus';
import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';
import type { Reservation, Role, Status } from '../domain/invitation-rules.ts';

export interface Inviter {
  user_id: string;
  name: string;
  email: string;
}

export interface InvitationDoc {
  _id: string;
  event_id: string;
  /** Normalised (lower case): the invitee's key with the event. */
  email: string;
  full_name: string;
  /** Set when invited by user id, or once the invitee answered signed in. */
  invitee_user_id: string | null;
  invited_by: Inviter;
  role: Role;
  message: string;
  status: Status;
  reservation: Reservation | null;
  /** When the recorded reservation answer was sent (later answers win; reordered older ones are ignored). */
  reservation_at: Date | null;
  registration_id: string | null;
  is_vip: boolean;
  bypass_capacity: boolean;
  phone: string | null;
  expires_at: Date;
  responded_at: Date | null;
  resend_count: number;
  /** SHA-256 of the link's token: the only lookup key for it. */
  token_hash: string;
  /** The token sealed with INVITATION_LINK_KEY: the reminder and a resend carry the same link (decisions 0040, 0044). */
  token_sealed: string;
  /** `<event>|<email>` while pending, `closed:<id>` after: a unique index allows one pending per person and event. */
  open_key: string;
  /** When the reminder is due; null once sent or when the invitation is too short-lived for one. */
  remind_at: Date | null;
  reminded_at: Date | null;
  /** The event as it was when the invitation was sent: what messages and the page name it by if events never told us of it. */
  event_title: string;
  event_start_time: Date;
  created_at: Date;
  updated_at: Date;
  outbox: unknown[];
  outbox_at: Date | null;
}

export type InvitationModel = Model<InvitationDoc>;

export function openKey(eventId: string, email: string): string {
  return `${eventId}|${email}`;
}

export function closedKey(id: string): string {
  return `closed:${id}`;
}

const schema = new Schema<InvitationDoc>(
  {
    _id: { type: String, required: true },
    event_id: { type: String, required: true },
    email: { type: String, required: true },
    full_name: { type: String, default: '' },
    invitee_user_id: { type: String, default: null },
    invited_by: { user_id: String, name: String, email: String },
    role: { type: String, required: true },
    message: { type: String, default: '' },
    status: { type: String, required: true },
    reservation: { type: String, default: null },
    reservation_at: { type: Date, default: null },
    registration_id: { type: String, default: null },
    is_vip: { type: Boolean, default: false },
    bypass_capacity: { type: Boolean, default: false },
    phone: { type: String, default: null },
    expires_at: { type: Date, required: true },
    responded_at: { type: Date, default: null },
    resend_count: { type: Number, default: 0 },
    token_hash: { type: String, required: true },
    token_sealed: { type: String, required: true },
    open_key: { type: String, required: true },
    remind_at: { type: Date, default: null },
    reminded_at: { type: Date, default: null },
    event_title: { type: String, required: true },
    event_start_time: { type: Date, required: true },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'invitations' },
);
schema.add(outboxFields);

// verify/accept/decline by link: findOne({token_hash})
schema.index({ token_hash: 1 }, { unique: true });
// one pending invitation per person and event (send, import: a duplicate insert fails with 11000)
schema.index({ open_key: 1 }, { unique: true });
// an event's invitations by status, newest first (list, export, stats $match, cancel-on-event-closed)
schema.index({ event_id: 1, status: 1, created_at: -1 });
// an event's invitations, newest first, any status (list without ?status=, export)
schema.index({ event_id: 1, created_at: -1 });
// "already invited" checks before a send or an import batch: find({event_id, email: {$in}})
schema.index({ event_id: 1, email: 1 });
// the signed-in user's received invitations: find({$or: [{invitee_user_id}, {email}]}) — one index per branch
schema.index({ invitee_user_id: 1, created_at: -1 });
schema.index({ email: 1, created_at: -1 });
// expiry sweep: find({status: 'pending', expires_at: {$lte: now}})
schema.index({ status: 1, expires_at: 1 });
// reminder sweep: find({status: 'pending', remind_at: {$lte: now}})
schema.index({ status: 1, remind_at: 1 });

export function invitationModel(connection: Connection): InvitationModel {
  return modelOn(connection, 'Invitation', schema);
}
