import { Writable } from 'node:stream';
import { createLogger, type RunningServer, type StopTelemetry, serve, startTelemetry } from '@convene/kit';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';

const lines: Array<Record<string, unknown>> = [];
const logger = createLogger({
  service: 'gateway',
  level: 'info',
  destination: new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  }),
});

let collector: RunningServer;
let stopTelemetry: StopTelemetry;
let gw: TestGateway;

beforeAll(async () => {
  collector = await serve(
    new Hono().post('/v1/traces', (c) => c.json({})),
    { port: 0 },
  );
  stopTelemetry = await startTelemetry({ service: 'gateway', otlpEndpoint: collector.url, ownClientSpans: true });
  gw = await startGateway({ logger });
});

afterAll(async () => {
  await gw?.close();
  await stopTelemetry?.();
  await collector?.close();
});

describe("the gateway's access log", () => {
  it('writes one JSON line per request with its request id and the trace it continues', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${gw.url}/api/events`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(res.status).toBe(200);
    const requestLines = lines.filter((line) => line.msg === 'request' && line.path === '/api/events');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      request_id: res.headers.get('x-request-id'),
      trace_id: traceId,
      method: 'GET',
      status: 200,
      upstream: 'events',
    });
  });
});
