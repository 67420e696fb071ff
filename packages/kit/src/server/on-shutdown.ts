import type { Logger } from '../logging/create-logger.ts';

export type ShutdownStep = (() => unknown) | { name: string; run: () => unknown };

export interface ShutdownOptions {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Run one after another, in order: stop accepting, stop consuming, wait for in-flight work,
   * flush the outbox, close connections. A failing step is logged and the next one still runs.
   */
  steps: ShutdownStep[];
  /** After this the process exits with 1 whatever is still running. */
  timeoutMs?: number;
  /** Signals that start the shutdown; `[]` to only call it yourself. */
  signals?: NodeJS.Signals[];
  /** How the process ends after a signal; tests pass their own. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Runs the steps once (later calls get the same promise); resolves with the exit code it would use. */
  (reason?: string): Promise<number>;
  /** Stops listening for the signals. */
  dispose(): void;
}

/** Graceful shutdown on SIGTERM/SIGINT: the steps in order, exit 0, or exit 1 on failure or timeout. */
export function onShutdown({
  logger,
  steps,
  timeoutMs = 15_000,
  signals = ['SIGTERM', 'SIGINT'],
  exit = (code) => process.exit(code),
}: ShutdownOptions): Shutdown {
  let running: Promise<number> | undefined;

  const shutdown = ((reason = 'requested') => {
    running ??= runSteps(reason);
    return running;
  }) as Shutdown;

  async function runSteps(reason: string): Promise<number> {
    logger.info({ reason }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.error({ timeout_ms: timeoutMs }, 'shutdown timed out; forcing exit');
        resolve(1);
      }, timeoutMs);
      // Deliberately not unref'd: a step awaiting something that holds no handle would otherwise
      // let the loop drain and the process end with 0 as if the shutdown had been clean.
    });
    const completed = (async () => {
      let code = 0;
      for (const [index, step] of steps.entries()) {
        const name = stepName(step, index);
        const started = performance.now();
        try {
          await (typeof step === 'function' ? step() : step.run());
          logger.info({ step: name, duration_ms: Math.round(performance.now() - started) }, 'shutdown step done');
        } catch (err) {
          code = 1;
          logger.error({ err, step: name }, 'shutdown step failed');
        }
      }
      return code;
    })();
    const code = await Promise.race([completed, timedOut]);
    clearTimeout(timer);
    if (code === 0) logger.info('shutdown complete');
    return code;
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void shutdown(signal).then(exit);
  };
  for (const signal of signals) process.on(signal, onSignal);
  shutdown.dispose = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  return shutdown;
}

function stepName(step: ShutdownStep, index: number): string {
  if (typeof step !== 'function') return step.name;
  return step.name && step.name !== 'anonymous' ? step.name : `step ${index + 1}`;
}
