import { withOutbox } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import { closedKey, type InvitationDoc } from './invitation-model.ts';
import type { Store } from './store.ts';

/**
 * The one definition of "overdue" the database is asked about: still pending, its expiry passed.
 * The sweeper, a send that meets an overdue invitation, the stats and the CLI's dry run all count
 * or change exactly these (domain/invitation-rules.ts's effectiveStatus says the same in memory).
 */
function overdue(now: Date) {
  return { status: 'pending' as const, expires_at: { $lte: now } };
}

/** Still answerable: pending and not yet overdue (the complement of `overdue` among pending ones). */
export function stillOpen(now: Date) {
  return { status: 'pending' as const, expires_at: { $gt: now } };
}

/** Ids of overdue invitations (the expiry sweep's index: status, expires_at). */
export async function overdueInvitationIds(store: Store, now: Date, limit: number): Promise<string[]> {
  const batch = await store.invitations
    .find(overdue(now), { _id: 1 })
    .limit(limit)
    .lean<Pick<InvitationDoc, '_id'>[]>();
  return batch.map((doc) => doc._id);
}

/** How many are overdue, of one event or of all. */
export function countOverdue(store: Store, now: Date, eventId?: string): Promise<number> {
  return store.invitations.countDocuments(eventId ? { event_id: eventId, ...overdue(now) } : overdue(now));
}

/** What an invitation looks like once expired (the flow announces this state). */
export function expiredState(id: string, now: Date) {
  return { status: 'expired' as const, open_key: closedKey(id), remind_at: null, updated_at: now };
}

/**
 * Overdue → expired with its invitation.expired, in one conditional update: false when it was no
 * longer overdue (answered, cancelled, resent, or another replica expired it first).
 */
export async function markExpired(
  store: Store,
  id: string,
  now: Date,
  message: DomainEvent<'invitation.expired'>,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: id, ...overdue(now) },
    withOutbox({ $set: expiredState(id, now) }, [message], now),
  );
  return done.modifiedCount === 1;
}
