import { instanceId } from '@convene/kit';
import {
  CLEANUP_LEASE_TTL_MS,
  releaseCleanupLease,
  renewCleanupLease,
  takeCleanupLease,
} from '../store/cleanup-lease.ts';
import {
  countEndedBefore,
  countRegistrationsOf,
  endedEventsAfter,
  pruneRejected,
  removeEvents,
} from '../store/maintenance.ts';
import type { FlowContext } from './context.ts';

export interface CleanupReport {
  matched: number;
  events: number;
  registrations: number;
  skipped: number;
}

export interface CleanupRun {
  ran: boolean;
  report?: CleanupReport & { rejectedPruned: number };
}

/**
 * Deletes events that ended more than `olderThanMs` ago, with their registrations and invitees
 * (and old answered rejections; the bus's markers are pruned by kit's openService). Runs under the `events.cleanup`
 * lease, so one run at a time across replicas and the CLI; `minIntervalMs` (the schedule) skips the
 * run when another replica ran it recently. Nothing with an unpublished outbox or a move in flight
 * is deleted (it is skipped and reported). `dryRun` only counts.
 */
export async function cleanUpOldEvents(
  ctx: FlowContext,
  {
    olderThanMs,
    dryRun = false,
    minIntervalMs,
    onStart,
    onProgress,
    holder = instanceId(),
  }: {
    olderThanMs: number;
    dryRun?: boolean;
    minIntervalMs?: number;
    /** Called with the number of events to look at, once the lease is held; the run waits for it. */
    onStart?: (total: number) => void | Promise<void>;
    /** Called after each batch (the CLI's progress bar). */
    onProgress?: (done: number) => void;
    holder?: string;
  },
): Promise<CleanupRun> {
  const { store } = ctx;
  if (!(await takeCleanupLease(store, holder, { minIntervalMs }))) return { ran: false };
  const keepAlive = setInterval(() => void renewCleanupLease(store, holder), CLEANUP_LEASE_TTL_MS / 3);
  keepAlive.unref();
  try {
    const now = ctx.now();
    const cutoff = new Date(now.getTime() - olderThanMs);
    const matched = await countEndedBefore(store, cutoff);
    if (onStart) await onStart(matched);
    const report = await removeEndedEvents(ctx, { cutoff, matched, dryRun, onProgress });
    const rejectedPruned = dryRun ? 0 : await pruneRejected(store, cutoff);
    return { ran: true, report: { ...report, rejectedPruned } };
  } finally {
    clearInterval(keepAlive);
    // A dry run does not count as the scheduled run.
    await releaseCleanupLease(store, holder, { ran: !dryRun });
  }
}

async function removeEndedEvents(
  ctx: FlowContext,
  {
    cutoff,
    matched,
    dryRun,
    onProgress,
    batch = 200,
  }: {
    cutoff: Date;
    matched: number;
    dryRun: boolean;
    onProgress?: ((done: number) => void) | undefined;
    batch?: number;
  },
): Promise<CleanupReport> {
  const report: CleanupReport = { matched, events: 0, registrations: 0, skipped: 0 };
  const skip = new Set<string>();
  let lastId = '';
  for (;;) {
    const rows = await endedEventsAfter(ctx.store, cutoff, lastId, batch);
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!._id;
    const ready = rows.filter((r) => !r.outbox_at && r.txns.length === 0).map((r) => r._id);
    for (const r of rows) if (!ready.includes(r._id)) skip.add(r._id);
    if (dryRun) {
      report.events += ready.length;
      report.registrations += await countRegistrationsOf(ctx.store, ready);
    } else if (ready.length) {
      const removed = await removeEvents(ctx.store, ready);
      report.events += removed.events;
      report.registrations += removed.registrations;
      for (const id of removed.kept) skip.add(id);
    }
    onProgress?.(report.events + skip.size);
  }
  report.skipped = skip.size;
  return report;
}
