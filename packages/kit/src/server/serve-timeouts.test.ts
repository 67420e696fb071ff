import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { createLogger } from '../logging/create-logger.ts';
import { serve } from './serve.ts';

const app = createApp({ service: 'x', logger: createLogger({ service: 'x', level: 'silent' }) });
app.get('/', (c) => c.json({ ok: true }));
app.post('/', async (c) => c.json({ size: (await c.req.text()).length }));

/**
 * A client that sends `start` and then one byte of `drip` at a time until the server hangs up.
 * Resolves with everything the server sent once the connection is closed.
 */
function slowClient(port: number, start: string, drip = 'a') {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<string>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve(received);
    });
  });
  socket.once('connect', () => {
    socket.write(start);
    timer = setInterval(() => socket.write(drip), 100);
  });
  return {
    closed,
    get open() {
      return !socket.destroyed;
    },
  };
}

describe('serve timeouts', () => {
  it('sets the configured timeouts on the server, checked often enough to cut close to them', async () => {
    const running = await serve(app, {
      port: 0,
      headersTimeoutMs: 1_500,
      requestTimeoutMs: 4_000,
      keepAliveTimeoutMs: 2_500,
    });
    try {
      expect(running.server.headersTimeout).toBe(1_500);
      expect(running.server.requestTimeout).toBe(4_000);
      expect(running.server.keepAliveTimeout).toBe(2_500);
    } finally {
      await running.close();
    }
    const defaults = await serve(app, { port: 0 });
    try {
      expect([
        defaults.server.headersTimeout,
        defaults.server.requestTimeout,
        defaults.server.keepAliveTimeout,
      ]).toEqual([10_000, 30_000, 5_000]);
    } finally {
      await defaults.close();
    }
  });

  it('refuses a headers timeout longer than the request timeout', async () => {
    await expect(serve(app, { port: 0, headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 })).rejects.toThrow(RangeError);
  });

  it('cuts off a client that sends its headers one byte at a time (408) while serving others', async () => {
    const running = await serve(app, { port: 0, headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const slow = slowClient(running.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      const served: number[] = [];
      while (slow.open) served.push((await fetch(`${running.url}/`)).status);
      expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /);
      expect(served.length).toBeGreaterThan(0);
      expect(served.every((status) => status === 200)).toBe(true);
    } finally {
      await running.close();
    }
  }, 10_000);

  it('cuts off a client that sends its body one byte at a time', async () => {
    const running = await serve(app, { port: 0, headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const slow = slowClient(
        running.port,
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n',
      );
      expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await running.close();
    }
  }, 10_000);
});
