import { hashToken, looksLikeToken } from '../domain/tokens.ts';
import { invitationNotFound, tokenGuessing } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findByTokenHash } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * The invitation a link's token opens, for the public token endpoints. Every unknown token counts
 * against the client (one counter document per client and window, atomically incremented, so all
 * replicas share it); past TOKEN_MISSES_PER_WINDOW the client gets 429 until the window ends, found
 * or not. Real invitees rarely mistype a link, guessers always miss: counting misses only keeps
 * legitimate bursts (a room of people accepting at once behind one NAT) unthrottled.
 */
export async function invitationByToken(ctx: FlowContext, token: string, client: string): Promise<InvitationDoc> {
  const { missesPerWindow, missWindowMs } = ctx.policy;
  const now = ctx.now().getTime();
  const windowStart = now - (now % Math.max(missWindowMs, 1));
  const key = `${client}|${windowStart}`;
  if (missesPerWindow > 0) {
    const misses = await ctx.store.tokenMisses.findById(key, { count: 1 }).lean<{ count: number }>();
    if (misses && misses.count >= missesPerWindow) {
      throw tokenGuessing(Math.max(1, Math.ceil((windowStart + missWindowMs - now) / 1000)));
    }
  }
  const found = looksLikeToken(token) ? await findByTokenHash(ctx.store, hashToken(token)) : null;
  if (found) return found;
  if (missesPerWindow > 0) {
    await ctx.store.tokenMisses.updateOne(
      { _id: key },
      { $inc: { count: 1 }, $setOnInsert: { window_start: new Date(windowStart) } },
      { upsert: true },
    );
  }
  throw invitationNotFound();
}

/** Old windows are of no use to anyone (the expiry job sweeps them). */
export async function forgetOldTokenMisses(ctx: FlowContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - 2 * ctx.policy.missWindowMs);
  const done = await ctx.store.tokenMisses.deleteMany({ window_start: { $lt: cutoff } });
  return done.deletedCount;
}
