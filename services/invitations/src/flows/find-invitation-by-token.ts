import { hashToken, looksLikeToken } from '../domain/tokens.ts';
import { invitationNotFound, tokenGuessing } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findByTokenHash } from '../store/invitation-queries.ts';
import { countMiss, missesOf } from '../store/token-misses.ts';
import type { FlowContext } from './context.ts';

/**
 * The invitation a link's token opens, for the public token endpoints. Every unknown token counts
 * against the client (one counter document per client and window, atomically incremented, so all
 * replicas share it); past TOKEN_MISSES_PER_WINDOW the client gets 429 until the window ends, found
 * or not. Real invitees rarely mistype a link, guessers always miss: counting misses only keeps
 * legitimate bursts (a room of people accepting at once behind one NAT) unthrottled.
 */
export async function findInvitationByToken(ctx: FlowContext, token: string, client: string): Promise<InvitationDoc> {
  const { missesPerWindow, missWindowMs } = ctx.policy;
  const now = ctx.now().getTime();
  const windowStart = now - (now % Math.max(missWindowMs, 1));
  const key = `${client}|${windowStart}`;
  if (missesPerWindow > 0) {
    if ((await missesOf(ctx.store, key)) >= missesPerWindow) {
      throw tokenGuessing(Math.max(1, Math.ceil((windowStart + missWindowMs - now) / 1000)));
    }
  }
  const found = looksLikeToken(token) ? await findByTokenHash(ctx.store, hashToken(token)) : null;
  if (found) return found;
  if (missesPerWindow > 0) await countMiss(ctx.store, key, new Date(windowStart));
  throw invitationNotFound();
}
