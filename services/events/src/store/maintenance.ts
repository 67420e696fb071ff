import { withOutbox } from '@convene/bus';
import { announce } from './announcements.ts';
import type { EventDoc } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { RegistrationDoc } from './registration-model.ts';
import { type MoveContext, move } from './registration-moves.ts';
import type { Store } from './store.ts';

/**
 * Housekeeping queries: cleanup of long-ended events, purge of deleted ones, reminders and lapsed
 * offers. Nothing here is deleted while it still has an envelope to publish (outbox_at set) or a
 * registration move in flight.
 */

export interface CleanupReport {
  matched: number;
  events: number;
  registrations: number;
  skipped: number;
}

const endedBefore = jobQueries.endedBefore;

export async function countEndedBefore(store: Store, cutoff: Date): Promise<number> {
  return store.events.countDocuments(endedBefore(cutoff));
}

/**
 * Deletes events that ended before `cutoff` with their registrations and invitees, in batches.
 * `dryRun` counts what would go. `onProgress(done)` after each batch (the CLI's progress bar).
 */
export async function cleanupEndedEvents(
  store: Store,
  {
    cutoff,
    dryRun = false,
    batch = 200,
    onProgress,
  }: { cutoff: Date; dryRun?: boolean; batch?: number; onProgress?: (done: number) => void },
): Promise<CleanupReport> {
  const report: CleanupReport = {
    matched: await countEndedBefore(store, cutoff),
    events: 0,
    registrations: 0,
    skipped: 0,
  };
  const skip = new Set<string>();
  let lastId = '';
  for (;;) {
    const rows = await store.events
      .find({ ...endedBefore(cutoff), _id: { $gt: lastId } }, { _id: 1, outbox_at: 1, txns: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean<Pick<EventDoc, '_id' | 'outbox_at' | 'txns'>[]>();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!._id;
    const ready = rows.filter((r) => !r.outbox_at && r.txns.length === 0).map((r) => r._id);
    for (const r of rows) if (!ready.includes(r._id)) skip.add(r._id);
    if (dryRun) {
      report.events += ready.length;
      report.registrations += await store.registrations.countDocuments({ event_id: { $in: ready } });
    } else if (ready.length) {
      const removed = await removeEvents(store, ready);
      report.events += removed.events;
      report.registrations += removed.registrations;
      for (const id of removed.kept) skip.add(id);
    }
    onProgress?.(report.events + skip.size);
  }
  report.skipped = skip.size;
  return report;
}

/** Registrations first (so a crash leaves an event without them, never the reverse), then the events. */
async function removeEvents(store: Store, ids: string[]) {
  const regs = await store.registrations.deleteMany({ event_id: { $in: ids }, outbox_at: null, txn: null });
  const left = await store.registrations
    .find({ event_id: { $in: ids } }, { event_id: 1 })
    .lean<Pick<RegistrationDoc, 'event_id'>[]>();
  const kept = new Set(left.map((r) => r.event_id));
  const deletable = ids.filter((id) => !kept.has(id));
  await store.invitees.deleteMany({ event_id: { $in: deletable } });
  const events = await store.events.deleteMany({ _id: { $in: deletable }, outbox_at: null });
  return { events: events.deletedCount, registrations: regs.deletedCount, kept: [...kept] };
}

/** Deleted events whose event.deleted went out: remove them for good (index {deleted_at} sparse). */
export async function purgeDeletedEvents(store: Store, batch = 100): Promise<number> {
  const rows = await store.events
    .find(jobQueries.deletedEvents(), { _id: 1, txns: 1 })
    .limit(batch)
    .lean<Pick<EventDoc, '_id' | 'txns'>[]>();
  const ids = rows.filter((r) => r.txns.length === 0).map((r) => r._id);
  if (ids.length === 0) return 0;
  return (await removeEvents(store, ids)).events;
}

/** Rejected-answer records older than `cutoff` (their event may never have existed). */
export async function pruneRejected(store: Store, cutoff: Date): Promise<number> {
  const done = await store.registrations.deleteMany(jobQueries.oldRejections(cutoff));
  return done.deletedCount;
}

/**
 * event.reminder_due once per event, `leadMs` before it starts: the flag and the envelope are one
 * conditional update, so replicas racing on the same event announce it once.
 */
export async function sendDueReminders(
  store: Store,
  { leadMs, now = new Date(), batch = 100 }: { leadMs: number; now?: Date; batch?: number },
) {
  const due = await store.events
    .find(jobQueries.dueReminders(now, leadMs), { search_terms: 0, location_terms: 0, outbox: 0, txns: 0 })
    .limit(batch)
    .lean<EventDoc[]>();
  let sent = 0;
  const leadMinutes = Math.max(1, Math.round(leadMs / 60_000));
  for (const event of due) {
    const done = await store.events.updateOne(
      { _id: event._id, reminder_sent: false, start_time: event.start_time },
      withOutbox({ $set: { reminder_sent: true } }, [announce.reminderDue(event, leadMinutes)]),
    );
    sent += done.modifiedCount;
  }
  return sent;
}

/** Offers past their window lapse (the seat is freed for the next in line). Returns the events touched. */
export async function lapseExpiredOffers(ctx: MoveContext, { now = new Date(), batch = 100 } = {}): Promise<string[]> {
  const expired = await ctx.store.registrations
    .find(jobQueries.expiredOffers(now), { _id: 1, event_id: 1 })
    .limit(batch)
    .lean<Pick<RegistrationDoc, '_id' | 'event_id'>[]>();
  const events = new Set<string>();
  for (const reg of expired) {
    const result = await move(ctx, reg._id, 'release_offer', {
      reason: 'offer_lapsed',
      extraFilter: { offer_expires_at: { $lte: now } },
    });
    if (result.ok) events.add(reg.event_id);
  }
  return [...events];
}
