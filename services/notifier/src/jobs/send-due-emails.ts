import { every, type Job, type Logger } from '@convene/kit';

export interface Sender extends Job {
  /** Look for due deliveries now; several nudges during a run make one more run, not many. */
  nudge(): void;
}

/**
 * The sender's schedule: a sweep every `intervalMs` (retries that came due, another replica's
 * expired claims) plus a nudge whenever a consumer queued something, so a new email leaves at once.
 * Several replicas may run it together: the claims in the delivery log keep them apart.
 */
export function sendDueEmails({
  run,
  intervalMs,
  enabled,
  logger,
}: {
  run: () => Promise<unknown>;
  intervalMs: number;
  enabled: boolean;
  logger: Logger;
}): Sender {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = !enabled;

  const drain = async () => {
    do {
      again = false;
      await run();
    } while (again && !stopped);
  };
  const kick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = every({ name: 'send-emails', intervalMs, initialDelayMs: 0, enabled, logger, run: kick });

  return {
    name: 'send-emails',
    nudge() {
      if (stopped) return;
      kick().catch((err) => logger.error({ err }, 'sending failed'));
    },
    runNow: kick,
    async stop() {
      stopped = true;
      await timer.stop();
      await running?.catch(() => {});
    },
  };
}
