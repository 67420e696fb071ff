import { purgeDeletedEvents } from '../store/maintenance.ts';
import { recoverStaleMoves } from '../store/recovery.ts';
import type { MoveContext } from '../store/registration-moves.ts';

/**
 * Finishes or undoes registration moves a crash left half-done (see store/recovery.ts), then
 * purges deleted events whose event.deleted went out. Safe on every replica at once: all its
 * writes are conditional.
 */
export async function recoverStaleRegistrations(ctx: MoveContext, { txnTimeoutMs }: { txnTimeoutMs: number }) {
  const report = await recoverStaleMoves(ctx, { olderThanMs: txnTimeoutMs });
  const purged = await purgeDeletedEvents(ctx.store);
  return { ...report, purged };
}
