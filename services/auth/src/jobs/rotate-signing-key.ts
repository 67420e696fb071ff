import { every, type Job, type Logger } from '@convene/kit';
import type { KeyRing } from '../credentials/key-ring.ts';

const HOUR = 60 * 60 * 1000;

/**
 * Scheduled key rotation: once the newest key is `maxAgeMs` old a new one is added (published
 * first, signing after `prepublishMs`). Every replica runs this; the unique generation index lets
 * exactly one of them rotate.
 */
export function rotateSigningKey(
  keys: KeyRing,
  { maxAgeMs, prepublishMs }: { maxAgeMs: number; prepublishMs: number },
  logger: Logger,
): Job | undefined {
  if (maxAgeMs <= 0) return undefined;
  return every({
    name: 'rotate-signing-key',
    intervalMs: HOUR,
    logger,
    run: async () => {
      if (await keys.rotateIfDue(maxAgeMs, prepublishMs)) logger.info('signing key rotated (scheduled)');
    },
  });
}
