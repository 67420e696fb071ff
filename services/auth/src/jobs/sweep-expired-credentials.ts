import { every, type Job, type Logger } from '@convene/kit';
import type { KeyRing } from '../credentials/key-ring.ts';
import type { LoginFailureStore } from '../store/login-failures.ts';
import type { SessionStore } from '../store/sessions.ts';

/**
 * What TTL indexes would do on a full MongoDB (they are outside the portable subset): delete
 * expired refresh tokens, sessions and consumed-token records, finished login-failure windows,
 * and signing keys no token can need any more.
 */
export function sweepExpiredCredentials(
  {
    sessions,
    failures,
    keys,
    now,
  }: { sessions: SessionStore; failures: LoginFailureStore; keys: KeyRing; now: () => Date },
  intervalMs: number,
  logger: Logger,
): Job {
  return every({
    name: 'sweep-expired-credentials',
    intervalMs,
    logger,
    run: async () => {
      const at = now();
      const [tokens, windows, retiredKeys] = await Promise.all([sessions.sweep(at), failures.sweep(at), keys.prune()]);
      if (tokens || windows || retiredKeys.length) {
        logger.info({ tokens, windows, retired_keys: retiredKeys }, 'swept expired credentials');
      }
    },
  });
}
