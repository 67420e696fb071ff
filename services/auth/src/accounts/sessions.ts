import { randomUUID } from 'node:crypto';
import { issueAccessToken } from '../credentials/access-tokens.ts';
import { hashToken, looksLikeSecretToken, newSecretToken } from '../domain/secret-token.ts';
import { canSignIn, type User } from '../domain/user.ts';
import type { RevokeReason } from '../store/sessions.ts';
import type { AuthDeps } from './deps.ts';
import { invalidRefreshToken } from './errors.ts';

export interface IssuedSession {
  access: string;
  access_expires_at: Date;
  refresh: string;
  refresh_expires_at: Date;
  session_id: string;
}

/** A new refresh-token family for a user who just proved who they are. */
export async function startSession(deps: AuthDeps, user: User): Promise<IssuedSession> {
  const now = deps.now();
  const sessionId = randomUUID();
  const refresh = newSecretToken();
  const expiresAt = new Date(now.getTime() + deps.settings.refreshTtlSec * 1000);
  await deps.sessions.startSession({ id: sessionId, userId: user.id, tokenHash: hashToken(refresh), now, expiresAt });
  const access = await issueAccessToken(deps.keys, user, sessionId, deps.settings.accessToken, now);
  return {
    access: access.token,
    access_expires_at: access.expires_at,
    refresh,
    refresh_expires_at: expiresAt,
    session_id: sessionId,
  };
}

/**
 * Exchanges a refresh token for a new pair. Each token works once: its hash is inserted as the _id
 * of a consumed-token record, and a duplicate key means it was used before. A second use within the
 * grace window is taken for a client retrying after a lost response and gets a fresh token; later
 * than that it means the token was copied, and the whole family is revoked.
 */
export async function refreshSession(deps: AuthDeps, presented: string): Promise<IssuedSession> {
  if (!looksLikeSecretToken(presented)) throw invalidRefreshToken();
  const now = deps.now();
  const token = await deps.sessions.tokenByHash(hashToken(presented));
  if (!token || token.expires_at.getTime() <= now.getTime()) throw invalidRefreshToken();
  const session = await deps.sessions.sessionById(token.session_id);
  if (!session || session.revoked_at) throw invalidRefreshToken();

  const consumption = await deps.sessions.consume(token, now);
  if (consumption.kind === 'again') {
    // Measured now, not at the start of this request: a concurrent twin may have consumed the
    // token after we began, which must not read as a negative (always-forgiven) interval.
    const sinceFirstUse = Math.max(0, deps.now().getTime() - consumption.consumed_at.getTime());
    if (sinceFirstUse >= deps.settings.refreshReuseGraceSec * 1000) {
      await deps.sessions.revoke(session._id, 'reuse', now);
      deps.logger.warn(
        { session_id: session._id, user_id: session.user_id, since_first_use_ms: sinceFirstUse },
        'rotated refresh token presented again: session revoked',
      );
      throw invalidRefreshToken('REFRESH_TOKEN_REUSED');
    }
  }

  const user = await deps.users.byId(token.user_id);
  if (!user || !canSignIn(user)) throw invalidRefreshToken();

  const refresh = newSecretToken();
  const expiresAt = new Date(now.getTime() + deps.settings.refreshTtlSec * 1000);
  await deps.sessions.addToken({
    sessionId: session._id,
    userId: user.id,
    tokenHash: hashToken(refresh),
    now,
    expiresAt,
  });
  const access = await issueAccessToken(deps.keys, user, session._id, deps.settings.accessToken, now);
  return {
    access: access.token,
    access_expires_at: access.expires_at,
    refresh,
    refresh_expires_at: expiresAt,
    session_id: session._id,
  };
}

/**
 * Ends a session: the one the refresh token belongs to, else the one the access token came from.
 * Unknown or already revoked sessions are not an error (logging out twice is fine).
 */
export async function endSession(
  deps: AuthDeps,
  { refresh, sessionId }: { refresh?: string | undefined; sessionId?: string | undefined },
  reason: RevokeReason = 'logout',
): Promise<boolean> {
  let target = sessionId;
  if (refresh && looksLikeSecretToken(refresh)) {
    const token = await deps.sessions.tokenByHash(hashToken(refresh));
    if (token) target = token.session_id;
  }
  if (!target) return false;
  await deps.sessions.revoke(target, reason, deps.now());
  return true;
}
