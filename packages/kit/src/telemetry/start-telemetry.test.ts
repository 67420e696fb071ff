import { envelope } from '@convene/contracts';
import { trace } from '@opentelemetry/api';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { type RunningServer, serve } from '../server/serve.ts';
import { capturedLogger } from '../test-helpers.ts';
import { startTelemetry } from './start-telemetry.ts';

interface OtlpSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

let collector: RunningServer;
const exported: unknown[] = [];

beforeAll(async () => {
  const otlp = new Hono().post('/v1/traces', async (c) => {
    exported.push(await c.req.json());
    return c.json({});
  });
  collector = await serve(otlp, { port: 0 });
});

afterAll(async () => {
  await collector?.close();
});

function spans(): Array<{ service: string; span: OtlpSpan }> {
  return exported.flatMap((body) =>
    (
      body as {
        resourceSpans: Array<{
          resource: { attributes: OtlpSpan['attributes'] };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      }
    ).resourceSpans.flatMap((resourceSpan) => {
      const service = resourceSpan.resource.attributes.find((a) => a.key === 'service.name')?.value
        .stringValue as string;
      return resourceSpan.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ service, span })));
    }),
  );
}

describe('startTelemetry', () => {
  it('is a no-op without an endpoint', async () => {
    const stop = await startTelemetry({ service: 'events', otlpEndpoint: undefined });
    expect(trace.getTracer('x').startSpan('s').spanContext().traceId).toBe('00000000000000000000000000000000');
    await stop();
  });

  it('exports a server span per request over OTLP/HTTP, continuing the caller trace', async () => {
    const stop = await startTelemetry({ service: 'events', otlpEndpoint: collector.url });
    const app = createApp({ service: 'events', logger: capturedLogger().logger });
    app.get('/api/events/:id', (c) => c.json({ id: c.req.param('id') }));
    app.get('/api/invites/:token', (c) => c.json({ ok: true }));
    app.get('/healthz', (c) => c.json({ status: 'ok' }));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.request('http://events.internal:3002/api/events/e1?secret=q', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, host: 'events.internal:3002' },
    });
    await app.request('/api/invites/s3cret-token');
    await app.request('/healthz');
    await stop();

    const exportedSpans = spans();
    const eventSpan = exportedSpans.find(({ span }) => span.name === 'GET /api/events/:id');
    expect(eventSpan?.service).toBe('events');
    expect(eventSpan?.span.traceId).toBe(traceId);
    expect(eventSpan?.span.parentSpanId).toBe('00f067aa0ba902b7');
    const status = eventSpan?.span.attributes.find((a) => a.key === 'http.response.status_code')?.value;
    expect(Number(status?.intValue)).toBe(200);
    const attributes = Object.fromEntries(
      eventSpan!.span.attributes.map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]),
    );
    expect(attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/events/:id',
      'url.path': '/api/events/e1',
      'url.scheme': 'http',
      'server.address': 'events.internal',
      'server.port': 3002,
    });
    // The query string is never recorded (tokens travel in some).
    expect(JSON.stringify(exported)).not.toContain('secret=q');
    // The request carrying the token was exported too, under its route, and the token nowhere.
    expect(exportedSpans.map(({ span }) => span.name)).toContain('GET /api/invites/:token');
    expect(JSON.stringify(exported)).not.toContain('s3cret-token');
    // Probes are not traced: they would bury the real requests.
    expect(exportedSpans.map(({ span }) => span.name)).not.toContain('GET /healthz');
  });

  it('has envelopes built inside a span carry its trace, for the outbox relay to continue', async () => {
    const stop = await startTelemetry({ service: 'events', otlpEndpoint: collector.url });
    const built = trace.getTracer('test').startActiveSpan('request', (span) => {
      try {
        return {
          span: span.spanContext(),
          inside: envelope({
            type: 'user.activated',
            source: 'auth',
            subject: 'u1',
            data: {
              user_id: 'u1',
              username: 'ann',
              email: 'ann@example.com',
              first_name: 'Ann',
              last_name: 'Example',
              role: 'user',
              status: 'active',
            },
          }),
        };
      } finally {
        span.end();
      }
    });
    await stop();
    expect(built.inside.traceparent).toBe(`00-${built.span.traceId}-${built.span.spanId}-01`);
    // Stopped: envelopes carry no trace any more.
    const after = envelope({ ...built.inside, traceparent: undefined, id: undefined, time: undefined } as never);
    expect((after as { traceparent?: string }).traceparent).toBeUndefined();
  });
});
