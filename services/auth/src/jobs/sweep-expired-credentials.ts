import { every, type Job, type Logger } from '@convene/kit';
import type { FlowContext } from '../flows/context.ts';
import { sweepExpiredCredentials } from '../flows/sweep-expired-credentials.ts';

/** Runs the credential sweep every `intervalMs` (SWEEP_INTERVAL_MS) on every replica; deletes are idempotent. */
export function sweepExpiredCredentialsJob(
  ctx: Pick<FlowContext, 'sessions' | 'failures' | 'keys' | 'now'>,
  intervalMs: number,
  logger: Logger,
): Job {
  return every({
    name: 'sweep-expired-credentials',
    intervalMs,
    logger,
    run: async () => {
      const { tokens, windows, retiredKeys } = await sweepExpiredCredentials(ctx);
      if (tokens || windows || retiredKeys.length) {
        logger.info({ tokens, windows, retired_keys: retiredKeys }, 'swept expired credentials');
      }
    },
  });
}
