import { isDuplicateKey, modelOn } from '@convene/kit';
import type { Connection, InferSchemaType, Model } from 'mongoose';
import { Schema } from 'mongoose';

/**
 * A session is one refresh-token family: the chain of refresh tokens that started at one sign-in.
 * Revoking it (logout, reuse of a rotated token, password change, deactivation) ends every token
 * in the chain at once.
 */
const SessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    user_id: { type: String, required: true },
    created_at: { type: Date, required: true },
    last_used_at: { type: Date, required: true },
    /** Expiry of the newest token in the family: after this the whole document is garbage. */
    expires_at: { type: Date, required: true },
    revoked_at: { type: Date, default: null },
    revoked_reason: { type: String, default: null },
  },
  { collection: 'sessions', versionKey: false },
);
// Revoke every session of one account (deactivation, password change).
SessionSchema.index({ user_id: 1, revoked_at: 1 }, { name: 'user_live' });
// The sweeper deletes expired families.
SessionSchema.index({ expires_at: 1 }, { name: 'expires' });

/** One refresh token, stored only as the hash of the opaque value the client holds. */
const RefreshTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    session_id: { type: String, required: true },
    user_id: { type: String, required: true },
    issued_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { collection: 'refresh_tokens', versionKey: false },
);
// The sweeper deletes expired tokens.
RefreshTokenSchema.index({ expires_at: 1 }, { name: 'expires' });

/**
 * A refresh token that has been exchanged. Its hash is the _id, so a second exchange of the same
 * token fails on the primary key: the database, not a read-then-write, decides who used it first.
 */
const ConsumedTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    session_id: { type: String, required: true },
    consumed_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { collection: 'consumed_refresh_tokens', versionKey: false },
);
// The sweeper deletes entries whose token has expired anyway.
ConsumedTokenSchema.index({ expires_at: 1 }, { name: 'expires' });

export type SessionDoc = InferSchemaType<typeof SessionSchema> & { _id: string };
export type RefreshTokenDoc = InferSchemaType<typeof RefreshTokenSchema> & { _id: string };
export type ConsumedTokenDoc = InferSchemaType<typeof ConsumedTokenSchema> & { _id: string };

export type RevokeReason = 'logout' | 'reuse' | 'password_changed' | 'deactivated';

export type Consumption = { kind: 'first' } | { kind: 'again'; consumed_at: Date };

export interface SessionStore {
  models: Model<never>[];
  startSession(input: { id: string; userId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void>;
  tokenByHash(hash: string): Promise<RefreshTokenDoc | null>;
  sessionById(id: string): Promise<SessionDoc | null>;
  /** Marks the token used; tells whether this was the first use. */
  consume(token: RefreshTokenDoc, now: Date): Promise<Consumption>;
  addToken(input: { sessionId: string; userId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void>;
  revoke(sessionId: string, reason: RevokeReason, now: Date): Promise<boolean>;
  revokeAllOf(userId: string, reason: RevokeReason, now: Date, keepSessionId?: string): Promise<number>;
  sweep(now: Date): Promise<number>;
}

export function sessionStore(connection: Connection): SessionStore {
  const sessions = modelOn<SessionDoc>(connection, 'Session', SessionSchema);
  const tokens = modelOn<RefreshTokenDoc>(connection, 'RefreshToken', RefreshTokenSchema);
  const consumed = modelOn<ConsumedTokenDoc>(connection, 'ConsumedRefreshToken', ConsumedTokenSchema);

  async function addToken({ sessionId, userId, tokenHash, now, expiresAt }: Parameters<SessionStore['addToken']>[0]) {
    await tokens.collection.insertOne({
      _id: tokenHash,
      session_id: sessionId,
      user_id: userId,
      issued_at: now,
      expires_at: expiresAt,
    } as never);
  }

  return {
    models: [sessions, tokens, consumed] as unknown as Model<never>[],

    async startSession({ id, userId, tokenHash, now, expiresAt }) {
      await sessions.collection.insertOne({
        _id: id,
        user_id: userId,
        created_at: now,
        last_used_at: now,
        expires_at: expiresAt,
        revoked_at: null,
        revoked_reason: null,
      } as never);
      await addToken({ sessionId: id, userId, tokenHash, now, expiresAt });
    },

    tokenByHash: (hash) => tokens.findById(hash).lean<RefreshTokenDoc>(),
    sessionById: (id) => sessions.findById(id).lean<SessionDoc>(),

    async consume(token, now) {
      try {
        await consumed.collection.insertOne({
          _id: token._id,
          session_id: token.session_id,
          consumed_at: now,
          expires_at: token.expires_at,
        } as never);
        return { kind: 'first' };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const first = await consumed.findById(token._id).lean<ConsumedTokenDoc>();
        return { kind: 'again', consumed_at: first?.consumed_at ?? new Date(0) };
      }
    },

    async addToken(input) {
      await addToken(input);
      await sessions.updateOne(
        { _id: input.sessionId },
        { $set: { last_used_at: input.now }, $max: { expires_at: input.expiresAt } },
      );
    },

    async revoke(sessionId, reason, now) {
      const result = await sessions.updateOne(
        { _id: sessionId, revoked_at: null },
        { $set: { revoked_at: now, revoked_reason: reason } },
      );
      return result.modifiedCount > 0;
    },

    async revokeAllOf(userId, reason, now, keepSessionId) {
      const filter: Record<string, unknown> = { user_id: userId, revoked_at: null };
      if (keepSessionId) filter._id = { $ne: keepSessionId };
      const result = await sessions.updateMany(filter, { $set: { revoked_at: now, revoked_reason: reason } });
      return result.modifiedCount;
    },

    async sweep(now) {
      const expired = { expires_at: { $lte: now } };
      const results = await Promise.all([
        sessions.deleteMany(expired),
        tokens.deleteMany(expired),
        consumed.deleteMany(expired),
      ]);
      return results.reduce((sum, r) => sum + r.deletedCount, 0);
    },
  };
}
