import { lapseExpiredOffers } from '../store/maintenance.ts';
import { eventsWithPromotableWaitlist, promoteWaitlist } from '../store/promotion.ts';
import type { MoveContext } from '../store/registration-moves.ts';

/**
 * Lapses offers past their window (the seat passes to the next in line) and promotes wherever a
 * seat is free while people wait — the backstop for the consumers that usually do it at once.
 */
export async function runWaitlist(ctx: MoveContext): Promise<{ lapsed: number; promoted: number }> {
  const now = ctx.now ? ctx.now() : new Date();
  const lapsedIn = await lapseExpiredOffers(ctx, { now });
  const candidates = new Set([...lapsedIn, ...(await eventsWithPromotableWaitlist(ctx))]);
  let promoted = 0;
  for (const eventId of candidates) promoted += await promoteWaitlist(ctx, eventId);
  return { lapsed: lapsedIn.length, promoted };
}
