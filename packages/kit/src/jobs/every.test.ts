import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { every } from './every.ts';

const quiet = { error: vi.fn(), debug: vi.fn() };

describe('every', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    quiet.error.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs after the initial delay, then every interval', async () => {
    const run = vi.fn(async () => 'ok');
    const job = every({ name: 'tick', intervalMs: 1000, initialDelayMs: 10, run, logger: quiet });
    await vi.advanceTimersByTimeAsync(9);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(3);
    await job.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('logs a failing run and keeps the schedule', async () => {
    let calls = 0;
    const job = every({
      name: 'flaky',
      intervalMs: 100,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      logger: quiet,
    });
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBe(2);
    expect(quiet.error).toHaveBeenCalledWith(expect.objectContaining({ job: 'flaky' }), 'job failed');
    await job.stop();
  });

  it('never runs twice at once: runNow waits for the scheduled run in progress', async () => {
    let active = 0;
    let most = 0;
    const run = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 50));
      active--;
      return active;
    };
    const job = every({ name: 'slow', intervalMs: 100, run, logger: quiet });
    await vi.advanceTimersByTimeAsync(110); // the scheduled run is in progress
    const now = job.runNow();
    await vi.advanceTimersByTimeAsync(200);
    await expect(now).resolves.toBe(0);
    expect(most).toBe(1);
    await job.stop();
  });

  it('does not schedule when disabled, but runNow still runs and rejects with the failure', async () => {
    const run = vi.fn(async () => {
      throw new Error('nope');
    });
    const job = every({ name: 'off', intervalMs: 10, run, logger: quiet, enabled: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
    await expect(job.runNow()).rejects.toThrow('nope');
    await job.stop();
  });

  it('stop waits for a run in progress', async () => {
    let finished = false;
    const job = every({
      name: 'long',
      intervalMs: 10,
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished = true;
      },
      logger: quiet,
    });
    await vi.advanceTimersByTimeAsync(20);
    const stopped = job.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopped;
    expect(finished).toBe(true);
  });

  it('calls onRun listeners after every run ends: scheduled or runNow, succeeded or failed', async () => {
    const seen: string[] = [];
    let calls = 0;
    const job = every({
      name: 'listened',
      intervalMs: 100,
      run: async () => {
        calls++;
        seen.push(`run ${calls}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (calls === 2) throw new Error('boom');
      },
      logger: quiet,
    });
    job.onRun?.(() => seen.push('listener'));
    await vi.advanceTimersByTimeAsync(105);
    expect(seen).toEqual(['run 1']); // still running: the listener waits for the end
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual(['run 1', 'listener']);
    await vi.advanceTimersByTimeAsync(110);
    expect(seen).toEqual(['run 1', 'listener', 'run 2', 'listener']);
    const manual = job.runNow();
    await vi.advanceTimersByTimeAsync(10);
    await manual;
    expect(seen).toEqual(['run 1', 'listener', 'run 2', 'listener', 'run 3', 'listener']);
    await job.stop();
  });
});
