import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, serve } from '../server/serve.ts';
import { startTelemetry } from '../telemetry/start-telemetry.ts';
import { capturedLogger } from '../test-helpers.ts';
import { createApp } from './create-app.ts';

/** Takes the exported spans (this test reads the log lines, not the spans). */
let collector: RunningServer;
beforeAll(async () => {
  collector = await serve(
    new Hono().post('/v1/traces', (c) => c.json({})),
    { port: 0 },
  );
});
afterAll(async () => {
  await collector?.close();
});

function requestLines(lines: Array<Record<string, unknown>>) {
  return lines.filter((line) => line.msg === 'request');
}

describe('the access log', () => {
  it('writes one JSON line per request with the request id, and no trace id while nothing is traced', async () => {
    const { logger, lines } = capturedLogger('events');
    const app = createApp({ service: 'events', logger });
    app.get('/api/events/:id', (c) => c.json({ id: c.req.param('id') }));
    const res = await app.request('/api/events/e1', {
      headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    });
    const logged = requestLines(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'info',
      service: 'events',
      request_id: res.headers.get('x-request-id'),
      method: 'GET',
      path: '/api/events/e1',
      status: 200,
    });
    expect(logged[0]).not.toHaveProperty('trace_id');
  });

  it('names the trace the request is part of while one is recorded (the caller’s, continued)', async () => {
    const stop = await startTelemetry({ service: 'events', otlpEndpoint: collector.url });
    try {
      const { logger, lines } = capturedLogger('events');
      const app = createApp({ service: 'events', logger });
      app.get('/api/events/:id', (c) => c.json({ id: c.req.param('id') }));
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      await app.request('/api/events/e1', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
      await app.request('/api/events/e2');
      const [continued, started] = requestLines(lines);
      expect(continued).toMatchObject({ path: '/api/events/e1', trace_id: traceId });
      // A request no caller traced starts a trace of its own, and its line names that one.
      expect(started).toMatchObject({ path: '/api/events/e2', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(started!.trace_id).not.toBe(traceId);
      expect(typeof started!.request_id).toBe('string');
    } finally {
      await stop();
    }
  });
});
