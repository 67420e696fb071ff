import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { latch } from '../test-helpers.ts';
import { type RunningServer, serve } from './serve.ts';

/** An app whose /slow handler says when it has started and answers only once the test lets it. */
function heldApp() {
  const started = latch();
  const finish = latch();
  const app = new Hono()
    .get('/', (c) => c.json({ ok: true }))
    .get('/slow', async (c) => {
      started.open();
      await finish.promise;
      return c.json({ finished: true });
    });
  return { app, started, finish };
}

/** A GET over node:http, so a cut connection shows as its socket error code (ECONNRESET, ECONNREFUSED). */
function get(url: string, agent?: Agent): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a new TCP connection to `port` gets: 'connected', or the socket error code. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/**
 * Rejects if `promise` is still pending after `ms`: a failure bound, far above what the step takes,
 * for "does not hang on X" (X being a timer of minutes that would otherwise hold it).
 */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/** Only the sweep in close() can end an idle keep-alive connection: node's own timer would take 10 minutes. */
function keepIdleSocketsForever(running: RunningServer) {
  running.server.keepAliveTimeout = 600_000;
}

describe('serve', () => {
  it('listens on the port it was given, or a free one for 0, and answers', async () => {
    const running = await serve(heldApp().app, { host: '127.0.0.1', port: 0 });
    try {
      expect(running.port).toBeGreaterThan(0);
      expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
      const res = await fetch(`${running.url}/`);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      await running.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await serve(heldApp().app, { port: 0 });
    try {
      await expect(serve(heldApp().app, { port: first.port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
        port: first.port,
      });
    } finally {
      await first.close();
    }
  });

  it('close() refuses new connections at once, lets the in-flight request finish, then resolves', async () => {
    const { app, started, finish } = heldApp();
    const running = await serve(app, { port: 0, drainMs: 600_000 });
    keepIdleSocketsForever(running);
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = get(`${running.url}/slow`, agent);
      await started.promise;
      const closed = running.close();
      expect(await connectOutcome(running.port)).toBe('ECONNREFUSED');

      finish.open();
      expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
      // Not held open by the keep-alive socket the answered request leaves behind.
      await within(closed, 10_000, 'close() after the last response');
      expect(await connectOutcome(running.port)).toBe('ECONNREFUSED');
    } finally {
      finish.open();
      agent.destroy();
    }
  });

  it('close() does not wait for idle keep-alive connections', async () => {
    const running = await serve(heldApp().app, { port: 0, drainMs: 600_000 });
    keepIdleSocketsForever(running);
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(`${running.url}/`, agent)).toEqual({ status: 200, body: { ok: true } });
      await within(running.close(), 10_000, 'close() with an idle keep-alive connection open');
    } finally {
      agent.destroy();
    }
  });

  it('close() cuts requests that outlast drainMs, while new connections are refused', async () => {
    const { app, started, finish } = heldApp();
    const running = await serve(app, { port: 0, drainMs: 50 });
    try {
      const inFlight = get(`${running.url}/slow`);
      await started.promise;
      const closed = running.close();
      expect(await connectOutcome(running.port)).toBe('ECONNREFUSED');
      // The request had reached the handler (it was not refused) and never got an answer: it was cut.
      await expect(inFlight).rejects.toMatchObject({ code: 'ECONNRESET' });
      await closed;
    } finally {
      finish.open();
    }
  });
});
