import { Agent, request } from 'node:http';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { serve } from './serve.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function slowApp() {
  return new Hono()
    .get('/', (c) => c.json({ ok: true }))
    .get('/slow', async (c) => {
      await pause(300);
      return c.json({ finished: true });
    });
}

describe('serve', () => {
  it('listens on the port it was given, or a free one for 0, and answers', async () => {
    const running = await serve(slowApp(), { host: '127.0.0.1', port: 0 });
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
    const first = await serve(slowApp(), { port: 0 });
    try {
      await expect(serve(slowApp(), { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('close() lets in-flight requests finish, then refuses new ones', async () => {
    const running = await serve(slowApp(), { port: 0 });
    const inFlight = fetch(`${running.url}/slow`);
    await pause(50);
    const started = Date.now();
    const closed = running.close();
    const res = await inFlight;
    expect(await res.json()).toEqual({ finished: true });
    await closed;
    // Not held open by the keep-alive socket the answered request leaves behind.
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${running.url}/`)).rejects.toThrow();
  });

  it('close() does not wait for idle keep-alive connections', async () => {
    const running = await serve(slowApp(), { port: 0 });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${running.url}/`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('close() cuts requests that outlast drainMs', async () => {
    const running = await serve(slowApp(), { port: 0, drainMs: 50 });
    const inFlight = fetch(`${running.url}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await pause(20);
    await running.close();
    expect(await inFlight).toBe('cut');
  });
});
