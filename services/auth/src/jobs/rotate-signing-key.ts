import { every, type Job, type Logger } from '@convene/kit';
import type { FlowContext } from '../flows/context.ts';
import { rotateSigningKeyWhenDue } from '../flows/rotate-signing-key-when-due.ts';

const HOUR = 60 * 60 * 1000;

/** Checks hourly whether the newest signing key is old enough to be replaced (SIGNING_KEY_ROTATE_AFTER_MS; 0 turns it off). */
export function rotateSigningKeyJob(
  ctx: Pick<FlowContext, 'keys'>,
  settings: { maxAgeMs: number; prepublishMs: number },
  logger: Logger,
): Job | undefined {
  if (settings.maxAgeMs <= 0) return undefined;
  return every({
    name: 'rotate-signing-key',
    intervalMs: HOUR,
    logger,
    run: async () => {
      if (await rotateSigningKeyWhenDue(ctx, settings)) logger.info('signing key rotated (scheduled)');
    },
  });
}
