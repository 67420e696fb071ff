import { eventsWithUnsyncedTimes, syncRegistrationTimes } from '../store/event-times.ts';
import type { MoveRecoveryReport } from '../store/seat-moves.ts';
import type { FlowContext } from './context.ts';

export interface RecoveryReport extends MoveRecoveryReport {
  timesSynced: number;
}

/**
 * The recovery job (at boot, then every RECOVERY_INTERVAL_MS, on every replica): finishes or
 * undoes seat moves a crash left half-done (see store/seat-moves.ts), and redoes copies of edited
 * event times onto registrations that were interrupted. Safe on every replica at once: all its
 * writes are conditional.
 */
export async function recoverStaleMoves(
  ctx: FlowContext,
  { olderThanMs, batch = 200 }: { olderThanMs: number; batch?: number },
): Promise<RecoveryReport> {
  const moves = await ctx.moves.recoverStale({ olderThanMs, batch });
  const cutoff = new Date(ctx.now().getTime() - olderThanMs);
  const unsynced = await eventsWithUnsyncedTimes(ctx.store, cutoff, batch);
  for (const event of unsynced) await syncRegistrationTimes(ctx.store, event);
  return { ...moves, timesSynced: unsynced.length };
}
