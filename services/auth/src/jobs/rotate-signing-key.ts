import { every, type Job, type Logger } from '@convene/kit';
import type { KeyRing } from '../credentials/key-ring.ts';

const HOUR = 60 * 60 * 1000;

/**
 * Scheduled key rotation: once the newest key is `maxAgeDays` old a new one is added (published
 * first, signing after `prepublishSec`). Every replica runs this; the unique generation index lets
 * exactly one of them rotate.
 */
export function rotateSigningKey(
  keys: KeyRing,
  { maxAgeDays, prepublishSec }: { maxAgeDays: number; prepublishSec: number },
  logger: Logger,
): Job | undefined {
  if (maxAgeDays <= 0) return undefined;
  return every({
    name: 'rotate-signing-key',
    intervalMs: HOUR,
    logger,
    run: async () => {
      if (await keys.rotateIfDue(maxAgeDays * 24 * 3600, prepublishSec)) logger.info('signing key rotated (scheduled)');
    },
  });
}
