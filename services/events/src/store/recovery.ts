import type { EventDoc, TxnEntry } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { RegistrationDoc } from './registration-model.ts';
import { abort, compensate, finish, type MoveContext } from './registration-moves.ts';

/**
 * Finishes or undoes registration moves left half-done (a crash, a killed pod, a lost
 * connection). A move T of registration R older than `olderThanMs` is judged by whether its
 * counter change reached the event (see registration-moves.ts):
 *
 *   R holds T, the event has entry T      → step 2 happened: finish it (status + message), pull T
 *   R holds T, no entry on the event      → step 2 did not happen (yet): undo R's side (clear its
 *                                           txn; a registration created for the move is removed).
 *                                           Should the slow request still apply it, its step 3
 *                                           fails and it gives the seat back itself
 *   entry T, R finished T (done_txns)     → only step 4 is missing: pull T
 *   entry T, R neither holds nor did T    → the move was undone after it applied: compensate
 *                                           (inverse $inc + pull, one conditional update)
 *
 * Every write is conditional on the move's id, so recovery on several replicas at once, or
 * racing the request that began the move, ends in the same single outcome.
 */

export interface RecoveryReport {
  finished: number;
  undone: number;
  compensated: number;
  cleaned: number;
  timesSynced: number;
}

export async function recoverStaleMoves(
  ctx: MoveContext,
  { olderThanMs, batch = 200 }: { olderThanMs: number; batch?: number },
) {
  const report: RecoveryReport = { finished: 0, undone: 0, compensated: 0, cleaned: 0, timesSynced: 0 };
  const now = ctx.now ? ctx.now() : new Date();
  const cutoff = new Date(now.getTime() - olderThanMs);

  const stuck = await ctx.store.registrations
    .find(jobQueries.staleRegistrationMoves(cutoff))
    .limit(batch)
    .lean<RegistrationDoc[]>();
  for (const reg of stuck) await resolve(ctx, reg, report);

  const events = await ctx.store.events
    .find(jobQueries.staleEventMoves(cutoff), { txns: 1 })
    .limit(batch)
    .lean<Pick<EventDoc, '_id' | 'txns'>[]>();
  for (const event of events) {
    for (const entry of event.txns.filter((e) => e.at < cutoff)) {
      const reg = await ctx.store.registrations.findById(entry.reg).lean<RegistrationDoc>();
      if (reg?.txn?.id === entry.id) {
        await resolve(ctx, reg, report);
      } else if (reg?.done_txns.includes(entry.id)) {
        await pull(ctx, event._id, entry.id);
        report.cleaned++;
      } else if (await compensate(ctx, event._id, entry.id, entry.kind)) {
        report.compensated++;
      }
    }
  }

  report.timesSynced = await redoTimeSync(ctx, cutoff, batch);
  return report;
}

async function pull(ctx: MoveContext, eventId: string, txnId: string) {
  await ctx.store.events.updateOne({ _id: eventId }, { $pull: { txns: { id: txnId } } });
}

async function resolve(ctx: MoveContext, reg: RegistrationDoc, report: RecoveryReport): Promise<void> {
  const txn = reg.txn!;
  const event = await ctx.store.events.findById(reg.event_id).lean<EventDoc>();
  const entry: TxnEntry | undefined = event?.txns.find((e) => e.id === txn.id);
  if (event && entry) {
    const finished = await finish(ctx, reg, entry.kind, event);
    if (finished) report.finished++;
    else report.compensated++;
    return;
  }
  await abort(ctx, reg, txn.id);
  report.undone++;
}

/**
 * Registrations carry copies of their event's times; an edit of the times marks the event
 * (`reg_sync_at`) in the same update and clears the mark after copying. Redo marks left behind.
 */
async function redoTimeSync(ctx: MoveContext, cutoff: Date, batch: number): Promise<number> {
  const events = await ctx.store.events
    .find(jobQueries.unsyncedTimes(cutoff), { start_time: 1, end_time: 1, reg_sync_at: 1, version: 1 })
    .limit(batch)
    .lean<TimedEvent[]>();
  for (const event of events) await syncRegistrationTimes(ctx.store, event);
  return events.length;
}

type TimedEvent = Pick<EventDoc, '_id' | 'start_time' | 'end_time' | 'reg_sync_at' | 'version'>;

export async function syncRegistrationTimes(store: MoveContext['store'], event: TimedEvent): Promise<void> {
  await store.registrations.updateMany(
    { event_id: event._id, event_version: { $lt: event.version } },
    { $set: { event_start_time: event.start_time, event_end_time: event.end_time, event_version: event.version } },
  );
  await store.events.updateOne({ _id: event._id, reg_sync_at: event.reg_sync_at }, { $set: { reg_sync_at: null } });
}
