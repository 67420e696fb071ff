/**
 * Work that drains a backlog (an outbox, a queue of due emails) and is asked to run whenever
 * something may have been added: a request while a pass runs cannot be served by that pass (it
 * may have read past the new work already), so it makes exactly one more pass after it; any
 * number of requests during one pass still make only one more.
 */
export interface DrainOnNudge {
  /**
   * Starts a drain, or asks the one running for one more pass; resolves (or rejects with the
   * failing pass's error) when the drain that serves this request ends. After `stop()`: resolves
   * once the pass in progress, if any, ended, and starts nothing.
   */
  run(): Promise<void>;
  /** No pass starts any more; resolves once the pass in progress ended (its failure swallowed). */
  stop(): Promise<void>;
}

export interface DrainOnNudgeOptions {
  /** One pass over the backlog. */
  pass: () => Promise<unknown>;
  /** Called once each drain ended, succeeded or failed (e.g. to schedule the next poll). */
  afterDrain?: () => void;
}

export function drainOnNudge({ pass, afterDrain }: DrainOnNudgeOptions): DrainOnNudge {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const drain = async () => {
    do {
      again = false;
      await pass();
    } while (again && !stopped);
  };

  return {
    run() {
      if (running) {
        if (!stopped) again = true;
        return running;
      }
      if (stopped) return Promise.resolve();
      running = drain().finally(() => {
        running = null;
        afterDrain?.();
      });
      return running;
    },
    async stop() {
      stopped = true;
      await running?.catch(() => {});
    },
  };
}
