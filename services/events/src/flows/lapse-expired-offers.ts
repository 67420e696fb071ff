import { expiredOffers } from '../store/waitlist-queries.ts';
import type { FlowContext } from './context.ts';

/** Offers past their window lapse (registration.cancelled, reason offer_lapsed). Returns the events whose seat was freed. */
export async function lapseExpiredOffers(ctx: FlowContext, { batch = 100 } = {}): Promise<string[]> {
  const now = ctx.now();
  const expired = await expiredOffers(ctx.store, now, batch);
  const events = new Set<string>();
  for (const reg of expired) {
    const result = await ctx.moves.perform({
      registrationId: reg._id,
      kind: 'release_offer',
      reason: 'offer_lapsed',
      extraFilter: { offer_expires_at: { $lte: now } },
    });
    if (result.ok) events.add(reg.event_id);
  }
  return [...events];
}
