import type { Logger } from '@convene/kit';

export interface Job {
  /** Runs it now (tests, or right after start); resolves when that run is done. */
  runNow(): Promise<void>;
  /** Cancels the next run and waits for one in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` (the first run after one interval). A run that throws is logged
 * and the schedule goes on; runs never overlap. Timers are unref'd: a job never keeps a process up.
 */
export function every(name: string, intervalMs: number, work: () => Promise<unknown>, logger: Logger): Job {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const run = (): Promise<void> => {
    running ??= (async () => {
      try {
        await work();
      } catch (err) {
        logger.error({ err, job: name }, 'job failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void run().finally(schedule), intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
