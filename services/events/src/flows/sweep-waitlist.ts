import { promotableEventIds } from '../store/waitlist-queries.ts';
import type { FlowContext } from './context.ts';
import { lapseExpiredOffers } from './lapse-expired-offers.ts';
import { promoteFromWaitlist } from './promote-from-waitlist.ts';

/**
 * The waitlist job: lapses offers past their window (the seat passes to the next in line) and
 * promotes wherever a seat is free while people wait — the backstop for the consumers that
 * usually do it at once.
 */
export async function sweepWaitlist(
  ctx: FlowContext,
  { limit = 100 } = {},
): Promise<{ lapsed: number; promoted: number }> {
  const lapsedIn = await lapseExpiredOffers(ctx);
  const promotable = await promotableEventIds(ctx.store, limit);
  const candidates = new Set([...lapsedIn, ...promotable]);
  let promoted = 0;
  for (const eventId of candidates) promoted += await promoteFromWaitlist(ctx, eventId);
  return { lapsed: lapsedIn.length, promoted };
}
