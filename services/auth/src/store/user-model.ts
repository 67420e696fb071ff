import { randomUUID } from 'node:crypto';
import { outboxFields } from '@convene/bus';
import { modelOn } from '@convene/kit';
import { type Connection, type InferSchemaType, type Model, Schema } from 'mongoose';
import { ROLES, USER_STATUSES } from '../domain/user.ts';

const PendingInvitationSchema = new Schema(
  {
    token_hash: { type: String, required: true },
    expires_at: { type: Date, required: true },
    sent_at: { type: Date, required: true },
    invited_by: { type: String, default: null },
    send_count: { type: Number, default: 1 },
  },
  { _id: false },
);

const PastInvitationSchema = new Schema(
  {
    token_hash: { type: String, required: true },
    outcome: { type: String, enum: ['used', 'replaced', 'revoked'], required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

export const UserSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    username: { type: String, required: true },
    /** usernameKey(username): uniqueness and sign-in lookup. */
    username_key: { type: String, required: true },
    email: { type: String, required: true },
    /** emailLookupKey(email): case-insensitive uniqueness and sign-in lookup. */
    email_key: { type: String, required: true },
    first_name: { type: String, default: '' },
    last_name: { type: String, default: '' },
    role: { type: String, enum: ROLES, default: 'user' },
    status: { type: String, enum: USER_STATUSES, required: true },
    password_hash: { type: String, default: null },
    password_changed_at: { type: Date, default: null },
    invitation: { type: PendingInvitationSchema, default: null },
    /** The person's own IANA zone and canonical BCP 47 locale for what is shown to them; null = not chosen. */
    timezone: { type: String, default: null },
    locale: { type: String, default: null },
    /** Links that stopped working, so the set-password page can say why (bounded: one per resend). */
    past_invitations: { type: [PastInvitationSchema], default: [] },
    /** Optimistic concurrency: every update names the version it read and bumps it. */
    version: { type: Number, default: 0 },
    // Always written by the store from the service clock (no wall-clock default).
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
    last_login_at: { type: Date, default: null },
  },
  { collection: 'users', versionKey: false, minimize: false },
);
UserSchema.add(outboxFields);

// Registration and profile updates: "is this username taken?"; sign-in by username.
UserSchema.index({ username_key: 1 }, { unique: true, name: 'username_key_unique' });
// Same for emails, compared case-insensitively; sign-in by email.
UserSchema.index({ email_key: 1 }, { unique: true, name: 'email_key_unique' });
// GET /api/auth/set-password/{token}: find the invited account by the hash of its link.
UserSchema.index({ 'invitation.token_hash': 1 }, { name: 'invitation_token' });
// The same page for a link that was used, replaced or withdrawn: say which.
UserSchema.index({ 'past_invitations.token_hash': 1 }, { name: 'past_invitation_token' });
// GET /api/users?status=... and /api/users/inactive, newest first.
UserSchema.index({ status: 1, created_at: -1, _id: -1 }, { name: 'status_created' });
// GET /api/users without a filter, newest first.
UserSchema.index({ created_at: -1, _id: -1 }, { name: 'created' });

export type UserDoc = InferSchemaType<typeof UserSchema> & { _id: string };
export type UserModel = Model<UserDoc>;

export function userModel(connection: Connection): UserModel {
  return modelOn<UserDoc, UserModel>(connection, 'User', UserSchema);
}
