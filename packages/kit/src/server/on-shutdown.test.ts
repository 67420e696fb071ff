import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capturedLogger } from '../test-helpers.ts';
import { onShutdown } from './on-shutdown.ts';

/** Lets other queued work run: a step that did not await the previous one would start meanwhile. */
const yieldTurns = async (turns: number) => {
  for (let i = 0; i < turns; i++) await new Promise(setImmediate);
};

describe('onShutdown', () => {
  it('runs the steps one after another, in order, and resolves 0', async () => {
    const { logger } = capturedLogger();
    const order: string[] = [];
    const step = (name: string, turns: number) => async () => {
      order.push(`${name} start`);
      await yieldTurns(turns);
      order.push(`${name} end`);
    };
    const shutdown = onShutdown({
      logger,
      signals: [],
      steps: [
        step('stop accepting', 3),
        step('stop consuming', 1),
        step('wait in-flight', 2),
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
    const after: string[] = [];
    const shutdown = onShutdown({
      logger,
      signals: [],
      timeoutMs: 100,
      steps: [() => new Promise(() => {}), () => after.push('next step')],
    });
    expect(await shutdown()).toBe(1);
    expect(after).toEqual([]);
    expect(lines.filter((line) => line.msg === 'shutdown timed out; forcing exit')).toEqual([
      expect.objectContaining({ level: 'error', timeout_ms: 100 }),
    ]);
    expect(lines.some((line) => line.msg === 'shutdown complete')).toBe(false);
  });
});

describe('onShutdown in a real process', () => {
  const script = fileURLToPath(new URL('./fixtures/serve-until-signal.ts', import.meta.url));

  /** The fixture child, with a wait for each line it prints (it says what happened, one line each). */
  async function start(env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    const waiters: Array<{ line: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      for (const waiter of [...waiters]) {
        const match = waiter.line.exec(stdout);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    });
    const printed = (line: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const match = line.exec(stdout);
        if (match) return resolve(match);
        waiters.push({ line, resolve });
        void exited.then((code) => reject(new Error(`child exited ${code} before printing ${line}: ${stderr}`)));
      });
    const port = Number((await printed(/^ready (\d+)$/m))[1]);
    return {
      child,
      port,
      exited,
      printed,
      lines: () => stdout.split('\n').filter((line) => line && !line.startsWith('ready')),
    };
  }

  /** What a new TCP connection to `port` gets: 'connected', or the socket error code. */
  const connectOutcome = (port: number) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });

  it('on SIGTERM refuses new connections, finishes the request in flight, runs the steps in order and exits 0', async () => {
    const { child, port, exited, printed, lines } = await start();
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await printed(/^handling \/slow$/m);
    child.kill('SIGTERM');
    await printed(/^stop accepting$/m);
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');

    child.stdin.write('finish\n');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    expect(await exited).toBe(0);
    expect(lines()).toEqual([
      'handling /slow',
      'stop accepting',
      'server closed',
      'stop consuming',
      'wait in-flight',
      'flush outbox',
      'close',
    ]);
  });

  it('exits 1 when a step hangs past the timeout, running none of the steps after it', async () => {
    // The timeout covers the whole shutdown: generous, so the steps before the hang are surely done.
    const { child, exited, lines } = await start({ HANG_IN_FLUSH: '1', SHUTDOWN_TIMEOUT_MS: '3000' });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(lines()).toEqual([
      'stop accepting',
      'server closed',
      'stop consuming',
      'wait in-flight',
      'flush outbox hangs',
    ]);
  });
});
