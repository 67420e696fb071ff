import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pruneProcessedMessages } from '@convene/bus';
import { acquireLease, releaseLease, renewLease } from '../store/leases.ts';
import { type CleanupReport, cleanupEndedEvents, pruneRejected } from '../store/maintenance.ts';
import type { Store } from '../store/store.ts';

export const CLEANUP_LEASE = 'events.cleanup';
const LEASE_TTL_MS = 5 * 60_000;

export interface CleanupRun {
  ran: boolean;
  report?: CleanupReport & { rejectedPruned: number; markersPruned: number };
}

/** How long the consumers' once-only markers are kept (far beyond any redelivery). */
const MARKER_RETENTION_MS = 7 * 86_400_000;

/**
 * Deletes events that ended more than `olderThanMs` ago, with their registrations (and old
 * answered rejections and consumers' once-only markers). Runs under
 * the `events.cleanup` lease, so one run at a time across replicas and the CLI; `minIntervalMs`
 * (the schedule) skips the run when another replica ran it recently.
 */
export async function cleanupOldEvents(
  store: Store,
  {
    olderThanMs,
    dryRun = false,
    minIntervalMs,
    onStart,
    onProgress,
    holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    now = new Date(),
  }: {
    olderThanMs: number;
    dryRun?: boolean;
    minIntervalMs?: number;
    /** Called with the number of events to look at, once the lease is held; the run waits for it. */
    onStart?: (total: number) => void | Promise<void>;
    onProgress?: (done: number) => void;
    holder?: string;
    now?: Date;
  },
): Promise<CleanupRun> {
  const leased = await acquireLease(store, CLEANUP_LEASE, holder, {
    ttlMs: LEASE_TTL_MS,
    now,
    ...(minIntervalMs ? { minIntervalMs } : {}),
  });
  if (!leased) return { ran: false };
  const keepAlive = setInterval(() => void renewLease(store, CLEANUP_LEASE, holder, LEASE_TTL_MS), LEASE_TTL_MS / 3);
  keepAlive.unref();
  try {
    const cutoff = new Date(now.getTime() - olderThanMs);
    if (onStart) await onStart(await store.events.countDocuments({ end_time: { $lt: cutoff } }));
    const report = await cleanupEndedEvents(store, { cutoff, dryRun, ...(onProgress ? { onProgress } : {}) });
    const rejectedPruned = dryRun ? 0 : await pruneRejected(store, cutoff);
    const markersPruned = dryRun
      ? 0
      : await pruneProcessedMessages(store.connection, new Date(now.getTime() - MARKER_RETENTION_MS));
    return { ran: true, report: { ...report, rejectedPruned, markersPruned } };
  } finally {
    clearInterval(keepAlive);
    // A dry run does not count as the scheduled run.
    await releaseLease(store, CLEANUP_LEASE, holder, { ran: !dryRun });
  }
}
