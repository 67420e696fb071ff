import type { Logger } from '../logging/create-logger.ts';

export interface Job {
  name: string;
  /** Runs the job now (waits for a run in progress first); resolves with its result. */
  runNow(): Promise<unknown>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /**
   * Calls `listener` after each run ends, scheduled or runNow, succeeded or failed (openService
   * nudges the outbox relays with it). Jobs made by `every` have it; a hand-made Job may leave it out.
   */
  onRun?(listener: () => void): void;
}

/**
 * Runs `run` every `intervalMs` (first run after `initialDelayMs`), never two at once in this
 * process. A failing run is logged; the next one still happens.
 */
export function every({
  name,
  intervalMs,
  initialDelayMs = intervalMs,
  run,
  logger,
  enabled = true,
}: {
  name: string;
  intervalMs: number;
  initialDelayMs?: number;
  run: () => Promise<unknown>;
  logger: Pick<Logger, 'error' | 'debug'>;
  enabled?: boolean;
}): Job {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | null = null;
  let stopped = !enabled;
  const listeners: Array<() => void> = [];

  const once = async (): Promise<unknown> => {
    while (current) await current.catch(() => {});
    current = run();
    try {
      return await current;
    } finally {
      current = null;
      for (const listener of listeners) listener();
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        const result = await once();
        logger.debug({ job: name, result }, 'job ran');
      } catch (err) {
        logger.error({ err, job: name }, 'job failed');
      }
      schedule(intervalMs);
    }, delay);
    timer.unref();
  };
  schedule(initialDelayMs);

  return {
    name,
    runNow: once,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => {});
    },
    onRun(listener) {
      listeners.push(listener);
    },
  };
}
