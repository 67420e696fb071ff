import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capturedLogger } from '../test-helpers.ts';
import { onShutdown } from './on-shutdown.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('onShutdown', () => {
  it('runs the steps one after another, in order, and resolves 0', async () => {
    const { logger } = capturedLogger();
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await pause(ms);
      order.push(`${name} end`);
    };
    const shutdown = onShutdown({
      logger,
      signals: [],
      steps: [
        step('stop accepting', 30),
        step('stop consuming', 10),
        step('wait in-flight', 20),
        step('flush outbox', 0),
        () => order.push('close'),
      ],
    });
    expect(await shutdown('test')).toBe(0);
    expect(order).toEqual([
      'stop accepting start',
      'stop accepting end',
      'stop consuming start',
      'stop consuming end',
      'wait in-flight start',
      'wait in-flight end',
      'flush outbox start',
      'flush outbox end',
      'close',
    ]);
  });

  it('runs the steps only once however often it is called', async () => {
    let runs = 0;
    const shutdown = onShutdown({ logger: capturedLogger().logger, signals: [], steps: [() => runs++] });
    const [a, b] = await Promise.all([shutdown(), shutdown()]);
    await shutdown();
    expect([a, b, runs]).toEqual([0, 0, 1]);
  });

  it('keeps going after a failing step and resolves 1', async () => {
    const { logger, lines } = capturedLogger();
    const order: string[] = [];
    const shutdown = onShutdown({
      logger,
      signals: [],
      steps: [
        { name: 'stop consuming', run: () => Promise.reject(new Error('channel gone')) },
        () => order.push('close'),
      ],
    });
    expect(await shutdown()).toBe(1);
    expect(order).toEqual(['close']);
    expect(lines.find((line) => line.msg === 'shutdown step failed')).toMatchObject({
      step: 'stop consuming',
      level: 'error',
    });
  });

  it('gives up after the timeout and resolves 1', async () => {
    const { logger, lines } = capturedLogger();
    const shutdown = onShutdown({ logger, signals: [], timeoutMs: 100, steps: [() => new Promise(() => {})] });
    const started = Date.now();
    expect(await shutdown()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines.some((line) => line.msg === 'shutdown timed out; forcing exit')).toBe(true);
  });
});

describe('onShutdown in a real process', () => {
  const script = fileURLToPath(new URL('./fixtures/serve-until-signal.ts', import.meta.url));

  async function start(env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /ready (\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code} before ready`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, port, exited, output: () => stdout };
  }

  function lines(output: string) {
    return output.split('\n').filter((line) => line && !line.startsWith('ready'));
  }

  it('on SIGTERM finishes in-flight requests, runs the steps in order and exits 0', async () => {
    const { child, port, exited, output } = await start();
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await pause(100);
    (child as ChildProcessWithoutNullStreams).kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    expect(await exited).toBe(0);
    expect(lines(output())).toEqual([
      'stop accepting',
      'server closed',
      'stop consuming',
      'wait in-flight',
      'flush outbox',
      'close',
    ]);
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow();
  });

  it('exits 1 when a step hangs past the timeout', async () => {
    const { child, exited, output } = await start({ HANG_IN_FLUSH: '1', SHUTDOWN_TIMEOUT_MS: '300' });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(lines(output())).toEqual(['stop accepting', 'server closed', 'stop consuming', 'wait in-flight']);
  });
});
