import { describe, expect, it, vi } from 'vitest';
import { everyAndWhenNudged } from './every-and-when-nudged.ts';

const quiet = { error: vi.fn(), debug: vi.fn() };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Runs gated by the test; no timer (enabled: false keeps the schedule off, runNow drives it). */
function gatedJob(enabled: boolean) {
  const started = [deferred(), deferred(), deferred()];
  const finish = [deferred(), deferred(), deferred()];
  let runs = 0;
  const job = everyAndWhenNudged({
    name: 'drain',
    intervalMs: 3_600_000,
    enabled,
    logger: quiet,
    run: async () => {
      const i = runs++;
      started[i]!.resolve();
      await finish[i]!.promise;
    },
  });
  return { job, started, finish, runs: () => runs };
}

describe('everyAndWhenNudged', () => {
  it('a nudge during a run makes exactly one more run, and onRun hears each drain once', async () => {
    const { job, started, finish, runs } = gatedJob(false);
    const drained = vi.fn();
    job.onRun?.(drained);
    const first = job.runNow();
    await started[0]!.promise;
    const again = job.runNow();
    const andAgain = job.runNow();
    finish[0]!.resolve();
    await started[1]!.promise;
    finish[1]!.resolve();
    await Promise.all([first, again, andAgain]);
    expect(runs()).toBe(2);
    expect(drained).toHaveBeenCalledTimes(1);
    await job.stop();
  });

  it('ignores nudges while disabled or stopped; stop waits for the run in progress', async () => {
    const { job, started, finish, runs } = gatedJob(true);
    // enabled: the first run starts from the schedule's initial delay of 0 — wait for it by its latch
    await started[0]!.promise;
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    job.nudge();
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish[0]!.resolve();
    await stopping;
    expect(runs()).toBe(1);

    const disabled = gatedJob(false);
    disabled.job.nudge();
    await disabled.job.stop();
    expect(disabled.runs()).toBe(0);
  });
});
