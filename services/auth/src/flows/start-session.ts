import { randomUUID } from 'node:crypto';
import { issueAccessToken } from '../credentials/access-tokens.ts';
import { hashToken, newSecretToken } from '../domain/secret-token.ts';
import type { User } from '../domain/user.ts';
import type { FlowContext } from './context.ts';

export interface IssuedSession {
  access: string;
  access_expires_at: Date;
  refresh: string;
  refresh_expires_at: Date;
  session_id: string;
}

/** A new refresh-token family for a user who just proved who they are (sign-in's last step). */
export async function startSession(ctx: FlowContext, user: User): Promise<IssuedSession> {
  const now = ctx.now();
  const sessionId = randomUUID();
  const refresh = newSecretToken();
  const expiresAt = new Date(now.getTime() + ctx.policy.refreshTtlMs);
  await ctx.sessions.startSession({ id: sessionId, userId: user.id, tokenHash: hashToken(refresh), now, expiresAt });
  const access = await issueAccessToken(ctx.keys, user, sessionId, ctx.policy.accessToken, now);
  return {
    access: access.token,
    access_expires_at: access.expires_at,
    refresh,
    refresh_expires_at: expiresAt,
    session_id: sessionId,
  };
}
