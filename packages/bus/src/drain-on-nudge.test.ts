import { describe, expect, it } from 'vitest';
import { drainOnNudge } from './drain-on-nudge.ts';

/** A promise with its resolve and reject in hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A pass that waits for the test to let it finish; `started[i]` resolves when pass i begins. */
function gatedPasses(count: number) {
  const started = Array.from({ length: count }, () => deferred());
  const finish = Array.from({ length: count }, () => deferred());
  let passes = 0;
  const pass = async () => {
    const i = passes++;
    if (i >= count) throw new Error(`unexpected pass ${i + 1}`);
    started[i]!.resolve();
    await finish[i]!.promise;
  };
  return { pass, started, finish, passes: () => passes };
}

describe('drainOnNudge', () => {
  it('runs one pass when nothing asks for more', async () => {
    const gate = gatedPasses(1);
    const runner = drainOnNudge({ pass: gate.pass });
    const done = runner.run();
    await gate.started[0]!.promise;
    gate.finish[0]!.resolve();
    await done;
    expect(gate.passes()).toBe(1);
  });

  it('makes exactly one more pass for any number of requests during a pass', async () => {
    const gate = gatedPasses(2);
    let drains = 0;
    const runner = drainOnNudge({ pass: gate.pass, afterDrain: () => drains++ });
    const first = runner.run();
    await gate.started[0]!.promise;
    const during = [runner.run(), runner.run(), runner.run()];
    gate.finish[0]!.resolve();
    await gate.started[1]!.promise;
    expect(gate.passes()).toBe(2);
    gate.finish[1]!.resolve();
    await Promise.all([first, ...during]);
    expect(gate.passes()).toBe(2);
    expect(drains).toBe(1);
  });

  it('starts a new drain for a request after the last one ended', async () => {
    const gate = gatedPasses(2);
    const runner = drainOnNudge({ pass: gate.pass });
    gate.finish[0]!.resolve();
    gate.finish[1]!.resolve();
    await runner.run();
    await runner.run();
    expect(gate.passes()).toBe(2);
  });

  it('stop waits for the pass in progress and starts no further pass', async () => {
    const gate = gatedPasses(1);
    const runner = drainOnNudge({ pass: gate.pass });
    void runner.run();
    await gate.started[0]!.promise;
    void runner.run(); // would make a second pass, but stop comes first
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.finish[0]!.resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(gate.passes()).toBe(1);
    await runner.run();
    expect(gate.passes()).toBe(1);
  });

  it("rejects the drain's requests with a failing pass's error, and stop still resolves", async () => {
    const gate = gatedPasses(1);
    const runner = drainOnNudge({ pass: gate.pass });
    const first = runner.run();
    await gate.started[0]!.promise;
    const during = runner.run();
    gate.finish[0]!.reject(new Error('smtp down'));
    await expect(first).rejects.toThrow('smtp down');
    await expect(during).rejects.toThrow('smtp down');
    await runner.stop();
    expect(gate.passes()).toBe(1);
  });
});
