import { issueAccessToken } from '../credentials/access-tokens.ts';
import { hashToken, looksLikeSecretToken, newSecretToken } from '../domain/secret-token.ts';
import { canSignIn } from '../domain/user.ts';
import { Code, invalidRefreshToken } from '../errors.ts';
import type { FlowContext } from './context.ts';
import type { IssuedSession } from './start-session.ts';

/**
 * Exchanges a refresh token for a new pair. Each token works once: its hash is inserted as the _id
 * of a consumed-token record, and a duplicate key means it was used before. A second use within the
 * grace window is taken for a client retrying after a lost response and gets a fresh token; later
 * than that it means the token was copied, and the whole family is revoked.
 */
export async function rotateSession(ctx: FlowContext, presented: string): Promise<IssuedSession> {
  if (!looksLikeSecretToken(presented)) throw invalidRefreshToken();
  const now = ctx.now();
  const token = await ctx.sessions.tokenByHash(hashToken(presented));
  if (!token || token.expires_at.getTime() <= now.getTime()) throw invalidRefreshToken();
  const session = await ctx.sessions.sessionById(token.session_id);
  if (!session || session.revoked_at) throw invalidRefreshToken();

  const consumption = await ctx.sessions.consume(token, now);
  if (consumption.kind === 'again') {
    // Measured now, not at the start of this request: a concurrent twin may have consumed the
    // token after we began, which must not read as a negative (always-forgiven) interval.
    const sinceFirstUse = Math.max(0, ctx.now().getTime() - consumption.consumed_at.getTime());
    if (sinceFirstUse >= ctx.policy.refreshReuseGraceMs) {
      await ctx.sessions.revoke(session._id, 'reuse', now);
      ctx.logger.warn(
        { session_id: session._id, user_id: session.user_id, since_first_use_ms: sinceFirstUse },
        'rotated refresh token presented again: session revoked',
      );
      throw invalidRefreshToken(Code.REFRESH_TOKEN_REUSED);
    }
  }

  const user = await ctx.users.byId(token.user_id);
  if (!user || !canSignIn(user)) throw invalidRefreshToken();

  const refresh = newSecretToken();
  const expiresAt = new Date(now.getTime() + ctx.policy.refreshTtlMs);
  await ctx.sessions.addToken({
    sessionId: session._id,
    userId: user.id,
    tokenHash: hashToken(refresh),
    now,
    expiresAt,
  });
  const access = await issueAccessToken(ctx.keys, user, session._id, ctx.policy.accessToken, now);
  return {
    access: access.token,
    access_expires_at: access.expires_at,
    refresh,
    refresh_expires_at: expiresAt,
    session_id: session._id,
  };
}
