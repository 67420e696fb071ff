import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';

/** The last creation times of one user's events (oldest first), for the rolling-window quota. */
export interface QuotaDoc {
  _id: string;
  stamps: Date[];
}
const QuotaSchema = new Schema<QuotaDoc>(
  { _id: String, stamps: { type: [Date], default: [] } },
  { collection: 'creation_quotas', versionKey: false },
);

/** Who was invited to an event (from invitation.sent): invitees may read invite-only events. */
export interface InviteeDoc {
  /** `<event_id>:<email lowercased>` */
  _id: string;
  event_id: string;
  email: string;
  user_id: string | null;
  invitation_id: string;
  /** The invitation was withdrawn: no longer an invitee, and a late invitation.accepted is ignored. */
  cancelled: boolean;
  created_at: Date;
}
const InviteeSchema = new Schema<InviteeDoc>(
  {
    _id: String,
    event_id: String,
    email: String,
    user_id: { type: String, default: null },
    invitation_id: String,
    cancelled: { type: Boolean, default: false },
    created_at: Date,
  },
  { collection: 'invitees', versionKey: false },
);
// Visibility check of invite-only events: is this user (by id) invited to this event?
InviteeSchema.index({ event_id: 1, user_id: 1 });
// Lists: the invite-only events a user is invited to, by account or by email, newest first.
InviteeSchema.index({ user_id: 1, created_at: -1 });
InviteeSchema.index({ email: 1, created_at: -1 });
// invitation.cancelled marks the invitee; invitation.accepted checks the mark.
InviteeSchema.index({ invitation_id: 1 });

export type QuotaModel = Model<QuotaDoc>;
export type InviteeModel = Model<InviteeDoc>;

export function quotaModel(connection: Connection): QuotaModel {
  return modelOn<QuotaDoc, QuotaModel>(connection, 'Quota', QuotaSchema);
}
export function inviteeModel(connection: Connection): InviteeModel {
  return modelOn<InviteeDoc, InviteeModel>(connection, 'Invitee', InviteeSchema);
}
