/**
 * The filters the jobs run, in one place so test/queries-use-indexes.test.ts can check each has
 * an index (the index comments in the models name these queries).
 */
export const jobQueries = {
  /** Reminder job. Index events {reminder_sent, start_time}. */
  dueReminders: (now: Date, leadMs: number) => ({
    reminder_sent: false,
    start_time: { $gt: now, $lte: new Date(now.getTime() + leadMs) },
    is_active: true,
    deleted_at: null,
  }),
  /** Cleanup. Index events {end_time}. */
  endedBefore: (cutoff: Date) => ({ end_time: { $lt: cutoff } }),
  /** Purge of deleted events. Sparse index events {deleted_at}. */
  deletedEvents: () => ({ deleted_at: { $exists: true }, outbox_at: null }),
  /** Recovery. Index registrations {txn.at}. */
  staleRegistrationMoves: (cutoff: Date) => ({ 'txn.at': { $lt: cutoff } }),
  /** Recovery. Index events {txns.at}. */
  staleEventMoves: (cutoff: Date) => ({ 'txns.at': { $lt: cutoff } }),
  /** Recovery of interrupted time copies. Index events {reg_sync_at}. */
  unsyncedTimes: (cutoff: Date) => ({ reg_sync_at: { $lt: cutoff } }),
  /** Waitlist job. Index registrations {status, offer_expires_at}. */
  expiredOffers: (now: Date) => ({ status: 'offered', offer_expires_at: { $lte: now }, txn: null }),
  /** Waitlist job. Index events {waitlist_count, seats_left}. */
  promotable: () => ({ waitlist_count: { $gt: 0 }, seats_left: { $gt: 0 } }),
  /** Promotion: the head of the line. Index registrations {event_id, status, waitlist_pos}. */
  waitlistHead: (eventId: string) => ({ event_id: eventId, status: 'waitlisted', txn: null }),
  /** Cleanup of answered rejections. Index registrations {status, offer_expires_at} (prefix status). */
  oldRejections: (cutoff: Date) => ({ status: 'rejected', outbox_at: null, updated_at: { $lt: cutoff } }),
};
