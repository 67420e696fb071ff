import { hashToken, looksLikeSecretToken } from '../domain/secret-token.ts';
import type { FlowContext } from './context.ts';

/**
 * Ends a session: the one the refresh token belongs to, else the one the access token came from.
 * Unknown or already revoked sessions are not an error (logging out twice is fine).
 */
export async function signOut(
  ctx: FlowContext,
  { refresh, sessionId }: { refresh?: string | undefined; sessionId?: string | undefined },
): Promise<boolean> {
  let target = sessionId;
  if (refresh && looksLikeSecretToken(refresh)) {
    const token = await ctx.sessions.tokenByHash(hashToken(refresh));
    if (token) target = token.session_id;
  }
  if (!target) return false;
  await ctx.sessions.revoke(target, 'logout', ctx.now());
  return true;
}
