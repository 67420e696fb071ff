import type { Causes } from '@convene/domain-kit';
import type { EventDoc } from '../store/event-model.ts';
import { eventById } from '../store/event-queries.ts';
import { releasePromotionLease, takePromotionLease } from '../store/promotion-lease.ts';
import { someoneWaiting, waitlistHead } from '../store/waitlist-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * Gives free seats to the waitlist, first in line first. One promoter per event at a time (a
 * short lease on the event document, `promo_until`), so people are promoted strictly in
 * `waitlist_pos` order even with several replicas reacting to the same freed seat. Auto mode
 * confirms the person; offer mode holds the seat for them (registration.offered) until they
 * accept or it lapses. Returns how many were promoted or offered.
 */
export async function promoteFromWaitlist(
  ctx: FlowContext,
  eventId: string,
  { leaseMs = 30_000, max = 1_000, causes }: { leaseMs?: number; max?: number; causes?: Causes } = {},
): Promise<number> {
  let moved = 0;
  for (let round = 0; round < 3; round++) {
    const now = ctx.now();
    const leased = await takePromotionLease(ctx.store, eventId, now, leaseMs);
    if (!leased) return moved; // another promoter holds the event; it re-reads the counters as it goes
    try {
      let event: EventDoc | null = leased;
      while (event && hasWork(event, ctx.now()) && moved < max) {
        const head = await waitlistHead(ctx.store, eventId);
        if (!head) break;
        const result = await ctx.moves.perform({
          registrationId: head._id,
          kind: event.waitlist_mode === 'offer' ? 'offer' : 'promote',
          extraFilter: { waitlist_pos: head.waitlist_pos },
          causes,
        });
        if (result.ok) moved++;
        else if (result.reason !== 'busy') break; // no seat after all, or the event closed
        event = await eventById(ctx.store, eventId);
      }
    } finally {
      await releasePromotionLease(ctx.store, eventId);
    }
    // A seat freed while we held the lease and its promoter gave up: look once more.
    const after = await eventById(ctx.store, eventId);
    if (!after || !hasWork(after, ctx.now())) return moved;
    if (!(await someoneWaiting(ctx.store, eventId))) return moved;
  }
  return moved;
}

function hasWork(event: EventDoc, now: Date): boolean {
  return (
    event.seats_left > 0 && event.waitlist_count > 0 && event.is_active && !event.deleted_at && event.start_time > now
  );
}
