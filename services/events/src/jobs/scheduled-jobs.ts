import { every, type Job, type Logger } from '@convene/kit';
import { cleanUpOldEvents } from '../flows/clean-up-old-events.ts';
import type { FlowContext } from '../flows/context.ts';
import { purgeDeletedEvents } from '../flows/purge-deleted-events.ts';
import { recoverStaleMoves } from '../flows/recover-stale-moves.ts';
import { sendReminders } from '../flows/send-reminders.ts';
import { sweepWaitlist } from '../flows/sweep-waitlist.ts';

export interface JobSettings {
  enabled: boolean;
  logger: Logger;
  /** Lease holder name of this replica (kit's instanceId()). */
  holder: string;
  recoveryIntervalMs: number;
  txnTimeoutMs: number;
  waitlistIntervalMs: number;
  reminderIntervalMs: number;
  reminderLeadMs: number;
  cleanupIntervalMs: number;
  cleanupOlderThanMs: number;
}

/**
 * The four jobs (docs/events.md "Jobs"). All run on every replica: recovery, the waitlist sweep
 * and reminders write only conditionally; the cleanup ticks often but runs once per interval
 * across replicas (a lease with last_run_at). Given to openService's `job`, each run is followed
 * by a nudge of the outbox relay, so what it announced goes out at once.
 */
export function scheduledJobs(ctx: FlowContext, s: JobSettings) {
  const { enabled, logger } = s;
  return {
    // First recovery right after boot: whatever a crash of this (or another) replica left behind.
    recovery: every({
      name: 'recovery',
      intervalMs: s.recoveryIntervalMs,
      initialDelayMs: 0,
      enabled,
      logger,
      run: async () => {
        const report = await recoverStaleMoves(ctx, { olderThanMs: s.txnTimeoutMs });
        return { ...report, purged: await purgeDeletedEvents(ctx) };
      },
    }),
    waitlist: every({
      name: 'waitlist',
      intervalMs: s.waitlistIntervalMs,
      enabled,
      logger,
      run: () => sweepWaitlist(ctx),
    }),
    reminders: every({
      name: 'reminders',
      intervalMs: s.reminderIntervalMs,
      enabled,
      logger,
      run: () => sendReminders(ctx, { leadMs: s.reminderLeadMs }),
    }),
    cleanup: every({
      name: 'cleanup',
      intervalMs: Math.min(s.cleanupIntervalMs, 15 * 60_000),
      initialDelayMs: 60_000,
      enabled,
      logger,
      run: () =>
        cleanUpOldEvents(ctx, {
          olderThanMs: s.cleanupOlderThanMs,
          minIntervalMs: s.cleanupIntervalMs,
          holder: s.holder,
        }),
    }),
  } satisfies Record<string, Job>;
}
