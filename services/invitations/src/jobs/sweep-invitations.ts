import { every, type Job, type Logger } from '@convene/kit';
import type { FlowContext } from '../flows/context.ts';
import { expireOverdueInvitations } from '../flows/expire-overdue-invitations.ts';
import { forgetOldTokenMisses } from '../flows/forget-old-token-misses.ts';
import { remindInviteesBeforeExpiry } from '../flows/remind-invitees-before-expiry.ts';

/** A job whose manual run says what it did (tests, the CLI). */
export type RunsTo<T> = Omit<Job, 'runNow'> & { runNow(): Promise<T> };

/**
 * The two sweepers. Several replicas may run them at once: every change they make is a
 * conditional single-document update (still pending and overdue; reminder still due), so each
 * invitation expires, and is reminded, exactly once.
 */
export function sweepers(
  ctx: FlowContext,
  {
    expiryIntervalMs,
    reminderIntervalMs,
    enabled,
    logger,
  }: { expiryIntervalMs: number; reminderIntervalMs: number; enabled: boolean; logger: Logger },
): { expiry: RunsTo<{ expired: number; forgotten: number }>; reminders: RunsTo<number> } {
  return {
    expiry: every({
      name: 'expire-invitations',
      intervalMs: expiryIntervalMs,
      enabled,
      logger,
      run: async () => ({ expired: await expireOverdueInvitations(ctx), forgotten: await forgetOldTokenMisses(ctx) }),
    }) as RunsTo<{ expired: number; forgotten: number }>,
    reminders: every({
      name: 'remind-invitees',
      intervalMs: reminderIntervalMs,
      enabled,
      logger,
      run: () => remindInviteesBeforeExpiry(ctx),
    }) as RunsTo<number>,
  };
}
