import { type RunningServer, type StopTelemetry, serve, startTelemetry } from '@convene/kit';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startGateway, type TestGateway } from './support/gateway.ts';

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}
const SERVER = 2;
const CLIENT = 3;

// The SDK starts before the gateway is made, as main.ts does it; the gateway's own client spans.
let collector: RunningServer;
const exported: string[] = [];
let stopTelemetry: StopTelemetry;
let gw: TestGateway;
let auth: Record<string, string>;

beforeAll(async () => {
  collector = await serve(
    new Hono().post('/v1/traces', async (c) => {
      exported.push(await c.req.text());
      return c.json({});
    }),
    { port: 0 },
  );
  stopTelemetry = await startTelemetry({ service: 'gateway', otlpEndpoint: collector.url, ownClientSpans: true });
  gw = await startGateway();
  auth = { authorization: `Bearer ${await gw.token()}` };
});

afterAll(async () => {
  await gw?.close();
  await stopTelemetry?.();
  await collector?.close();
});

function spans(): OtlpSpan[] {
  return exported.flatMap((text) =>
    (JSON.parse(text) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans.flatMap(
      (r) => r.scopeSpans.flatMap((s) => s.spans),
    ),
  );
}

function attribute(span: OtlpSpan | undefined, key: string): string | number | undefined {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
}

describe('the gateway in a trace', () => {
  it('forwards one traceparent, its client span’s, under its server span continuing the client’s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpanOfCaller = '00f067aa0ba902b7';
    const secretToken = 'tok-3f9a7c1e5b2d';
    const profile = await rawRequest(gw.url, '/api/auth/profile', {
      headers: { ...auth, traceparent: `00-${traceId}-${clientSpanOfCaller}-01` },
    });
    const invite = await rawRequest(gw.url, `/api/invites/${secretToken}`, {
      headers: { traceparent: `00-${traceId}-${clientSpanOfCaller}-01` },
    });
    expect(profile.status).toBe(200);
    expect(invite.status).toBe(200);
    const forwarded = JSON.parse(profile.body).headers.traceparent as string;
    // One header, one value: a second traceparent would reach the service joined with a comma.
    expect(forwarded).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const forwardedParent = forwarded.split('-')[2];
    expect(forwardedParent).not.toBe(clientSpanOfCaller);

    await stopTelemetry();
    const all = spans();
    // Named by the route table's rule that matched (the gateway's Hono routes are a catch-all).
    const server = all.find((s) => s.kind === SERVER && s.name === 'GET /api/auth/**');
    const client = all.find((s) => s.kind === CLIENT && s.parentSpanId === server?.spanId);
    expect(server?.traceId).toBe(traceId);
    expect(server?.parentSpanId).toBe(clientSpanOfCaller);
    expect(attribute(server, 'http.route')).toBe('/api/auth/**');
    expect(attribute(server, 'url.path')).toBe('/api/auth/profile');
    expect(attribute(server, 'http.response.status_code')).toBe(200);
    expect(attribute(server, 'http.request.method')).toBe('GET');
    expect(client?.spanId).toBe(forwardedParent);
    expect(client?.traceId).toBe(traceId);
    expect(attribute(client, 'server.address')).toBe('127.0.0.1');
    expect(attribute(client, 'server.port')).toBe(Number(new URL(gw.upstreams.auth!.url).port));
    expect(attribute(client, 'http.response.status_code')).toBe(200);

    // The invitation token is in the path: masked on the server span, a template on the client's.
    const inviteServer = all.find((s) => s.kind === SERVER && s.name === 'GET /api/invites/:token');
    expect(attribute(inviteServer, 'url.path')).toBe('/api/invites/[redacted]');
    expect(all.some((s) => s.kind === CLIENT && s.parentSpanId === inviteServer?.spanId)).toBe(true);
    expect(exported.join('\n')).not.toContain(secretToken);
  });
});
