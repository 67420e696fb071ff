import { withOutbox } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import { isDuplicateKey } from '@convene/kit';
import type { Connection, UpdateQuery } from 'mongoose';
import type { PastInvitationOutcome } from '../domain/invitation.ts';
import { emailLookupKey, type User, type UserStatus, usernameKey } from '../domain/user.ts';
import { DuplicateUserError, type UniqueField } from '../errors.ts';
import { type UserDoc, type UserModel, userModel } from './user-model.ts';

export interface NewUser {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  role: User['role'];
  status: UserStatus;
  password_hash: string | null;
  invitation: User['invitation'];
  timezone: User['timezone'];
  locale: User['locale'];
  now: Date;
}

/** A change to one account, applied only if it is still at the version the change was computed from. */
export interface UserChange {
  set?: Partial<Omit<UserDoc, '_id' | 'version' | 'outbox' | 'outbox_at'>>;
  pastInvitation?: { token_hash: string; outcome: PastInvitationOutcome };
  events?: DomainEvent[];
  now: Date;
}

export interface UserList {
  statuses?: UserStatus[];
  skip: number;
  limit: number;
}

export interface UserStore {
  model: UserModel;
  create(user: NewUser, events: DomainEvent[]): Promise<VersionedUser>;
  byId(id: string): Promise<VersionedUser | null>;
  /** Sign-in accepts a username or an email address. */
  bySignInName(identifier: string): Promise<VersionedUser | null>;
  byInvitationHash(tokenHash: string): Promise<VersionedUser | null>;
  pastInvitationOutcome(tokenHash: string): Promise<PastInvitationOutcome | null>;
  /** Which of these are already used by an account other than `exceptId`. */
  taken(values: { username?: string; email?: string }, exceptId?: string): Promise<UniqueField[]>;
  /**
   * Applies `change` only if the account is still at `user.version` (and, when given, still has
   * `where`), in one update that also queues the events. Null when it changed meanwhile.
   */
  change(user: VersionedUser, change: UserChange, where?: Record<string, unknown>): Promise<VersionedUser | null>;
  /** Stamps last_login_at; no version bump and no event (nobody downstream cares). */
  recordLogin(id: string, at: Date): Promise<void>;
  list(query: UserList): Promise<{ count: number; results: VersionedUser[] }>;
  count(): Promise<number>;
}

export type VersionedUser = User & { version: number };

export function userStore(connection: Connection): UserStore {
  const model = userModel(connection);

  return {
    model,

    async create(user, events) {
      const doc = {
        _id: user.id,
        username: user.username,
        username_key: usernameKey(user.username),
        email: user.email,
        email_key: emailLookupKey(user.email),
        first_name: user.first_name,
        last_name: user.last_name,
        role: user.role,
        status: user.status,
        password_hash: user.password_hash,
        password_changed_at: user.password_hash ? user.now : null,
        invitation: user.invitation,
        timezone: user.timezone,
        locale: user.locale,
        past_invitations: [],
        version: 0,
        created_at: user.now,
        updated_at: user.now,
        last_login_at: null,
        outbox: events,
        outbox_at: events.length ? user.now : null,
      };
      try {
        await model.collection.insertOne(doc as never);
      } catch (err) {
        throw duplicateOr(err);
      }
      return toUser(doc as unknown as UserDoc);
    },

    async byId(id) {
      const doc = await model.findById(id).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },

    async bySignInName(identifier) {
      const trimmed = identifier.trim();
      const filter = trimmed.includes('@')
        ? { $or: [{ email_key: emailLookupKey(trimmed) }, { username_key: usernameKey(trimmed) }] }
        : { username_key: usernameKey(trimmed) };
      const docs = await model.find(filter).limit(2).lean<UserDoc[]>();
      // "a@b.c" may be one account's username and another's email: the exact username wins.
      const doc = docs.find((d) => d.username_key === usernameKey(trimmed)) ?? docs[0];
      return doc ? toUser(doc) : null;
    },

    async byInvitationHash(tokenHash) {
      const doc = await model.findOne({ 'invitation.token_hash': tokenHash }).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },

    async pastInvitationOutcome(tokenHash) {
      const doc = await model
        .findOne({ 'past_invitations.token_hash': tokenHash }, { past_invitations: 1 })
        .lean<UserDoc>();
      const entry = doc?.past_invitations.find((p) => p.token_hash === tokenHash);
      return (entry?.outcome as PastInvitationOutcome | undefined) ?? null;
    },

    async taken({ username, email }, exceptId) {
      const or: Record<string, string>[] = [];
      if (username !== undefined) or.push({ username_key: usernameKey(username) });
      if (email !== undefined) or.push({ email_key: emailLookupKey(email) });
      if (or.length === 0) return [];
      const filter = exceptId ? { $or: or, _id: { $ne: exceptId } } : { $or: or };
      const docs = await model.find(filter, { username_key: 1, email_key: 1 }).limit(4).lean<UserDoc[]>();
      const fields: UniqueField[] = [];
      if (username !== undefined && docs.some((d) => d.username_key === usernameKey(username))) fields.push('username');
      if (email !== undefined && docs.some((d) => d.email_key === emailLookupKey(email))) fields.push('email');
      return fields;
    },

    async change(user, { set = {}, pastInvitation, events = [], now }, where = {}) {
      const $set: Record<string, unknown> = { ...set, updated_at: now };
      if (typeof set.username === 'string') $set.username_key = usernameKey(set.username);
      if (typeof set.email === 'string') $set.email_key = emailLookupKey(set.email);
      const update: UpdateQuery<UserDoc> = { $set, $inc: { version: 1 } };
      if (pastInvitation) update.$push = { past_invitations: { ...pastInvitation, at: now } };
      try {
        const doc = await model
          .findOneAndUpdate({ ...where, _id: user.id, version: user.version }, withOutbox(update, events, now), {
            new: true,
          })
          .lean<UserDoc>();
        return doc ? toUser(doc) : null;
      } catch (err) {
        throw duplicateOr(err);
      }
    },

    async recordLogin(id, at) {
      await model.updateOne({ _id: id }, { $set: { last_login_at: at } });
    },

    async list({ statuses, skip, limit }) {
      const filter = statuses ? { status: { $in: statuses } } : {};
      const [count, docs] = await Promise.all([
        model.countDocuments(filter),
        model.find(filter).sort({ created_at: -1, _id: -1 }).skip(skip).limit(limit).lean<UserDoc[]>(),
      ]);
      return { count, results: docs.map(toUser) };
    },

    async count() {
      return model.estimatedDocumentCount();
    },
  };
}

export function toUser(doc: UserDoc): VersionedUser {
  const invitation = doc.invitation
    ? {
        token_hash: doc.invitation.token_hash,
        expires_at: doc.invitation.expires_at,
        sent_at: doc.invitation.sent_at,
        invited_by: doc.invitation.invited_by ?? null,
        send_count: doc.invitation.send_count ?? 1,
      }
    : null;
  return {
    id: doc._id,
    username: doc.username,
    email: doc.email,
    first_name: doc.first_name ?? '',
    last_name: doc.last_name ?? '',
    role: doc.role as User['role'],
    status: doc.status as UserStatus,
    password_hash: doc.password_hash ?? null,
    invitation,
    // Accounts stored before people could choose these read as "not chosen".
    timezone: doc.timezone ?? null,
    locale: doc.locale ?? null,
    created_at: doc.created_at,
    updated_at: doc.updated_at,
    last_login_at: doc.last_login_at ?? null,
    version: doc.version ?? 0,
  };
}

/** Maps a duplicate-key error to the field whose unique index refused it. */
function duplicateOr(err: unknown): unknown {
  if (!isDuplicateKey(err)) return err;
  const e = err as { keyPattern?: Record<string, unknown>; message?: string };
  const pattern = Object.keys(e.keyPattern ?? {}).join(',');
  const message = e.message ?? '';
  const fields: UniqueField[] = [];
  if (pattern.includes('username_key') || message.includes('username_key')) fields.push('username');
  if (pattern.includes('email_key') || message.includes('email_key')) fields.push('email');
  return fields.length ? new DuplicateUserError(fields) : err;
}
