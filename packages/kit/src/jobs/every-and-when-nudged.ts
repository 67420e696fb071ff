import { drainOnNudge } from '@convene/bus';
import type { Logger } from '../logging/create-logger.ts';
import { every, type Job } from './every.ts';

export interface NudgedJob extends Job {
  /** Run now; a nudge during a run makes one more run after it, however many nudges came. */
  nudge(): void;
}

/**
 * A job that drains a backlog on a schedule (the backstop: retries that came due, another
 * replica's expired claims) and whenever a local write nudges it, so new work does not wait for
 * the next tick. Runs never overlap in this process (bus's drainOnNudge); several replicas may run
 * it together when `run` claims its work.
 */
export function everyAndWhenNudged({
  name,
  intervalMs,
  run,
  logger,
  enabled = true,
}: {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  logger: Pick<Logger, 'error' | 'debug'>;
  enabled?: boolean;
}): NudgedJob {
  const listeners: Array<() => void> = [];
  const drains = drainOnNudge({
    pass: run,
    afterDrain: () => {
      for (const listener of listeners) listener();
    },
  });
  // Disabled (tests that drive it by hand): no timer and no nudges, but runNow still runs.
  let nudges = enabled;
  const timer = every({ name, intervalMs, initialDelayMs: 0, enabled, logger, run: () => drains.run() });

  return {
    name,
    nudge() {
      if (!nudges) return;
      drains.run().catch((err) => logger.error({ err, job: name }, 'job failed'));
    },
    runNow: () => drains.run(),
    async stop() {
      nudges = false;
      await drains.stop();
      await timer.stop();
    },
    onRun(listener) {
      listeners.push(listener);
    },
  };
}
