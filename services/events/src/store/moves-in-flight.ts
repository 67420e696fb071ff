import type { Store } from './store.ts';

/**
 * Registrations with a seat move begun and not yet finished or undone (their `txn` is set): the
 * moves running now on every replica, and any a crash left for recovery. On the {txn.at} index
 * recovery uses; `$gt` the epoch rather than `$ne: null`, so it is a range on that index.
 */
export function countMovesInFlight(store: Store): Promise<number> {
  return store.registrations.countDocuments({ 'txn.at': { $gt: new Date(0) } });
}
