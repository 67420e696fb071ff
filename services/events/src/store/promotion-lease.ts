import type { EventDoc } from './event-model.ts';
import type { Store } from './store.ts';

/**
 * One promoter per event at a time: a short lease on the event document (`promo_until`), so the
 * waitlist is served strictly in order even when several replicas react to the same freed seat.
 * The event as the lease left it, or null when another promoter holds it (or the event is gone).
 */
export async function takePromotionLease(
  store: Store,
  eventId: string,
  now: Date,
  leaseMs: number,
): Promise<EventDoc | null> {
  return store.events
    .findOneAndUpdate(
      { _id: eventId, deleted_at: null, $or: [{ promo_until: null }, { promo_until: { $lt: now } }] },
      { $set: { promo_until: new Date(now.getTime() + leaseMs) } },
      { new: true },
    )
    .lean<EventDoc>();
}

export async function releasePromotionLease(store: Store, eventId: string): Promise<void> {
  await store.events.updateOne({ _id: eventId }, { $set: { promo_until: null } });
}
