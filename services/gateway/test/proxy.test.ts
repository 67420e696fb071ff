import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoed, rawRequest, startGateway, type TestGateway } from './support/gateway.ts';
import { closedPort } from './support/upstreams.ts';

let gw: TestGateway;
let auth: Record<string, string>;
const MiB = 1024 * 1024;

beforeAll(async () => {
  gw = await startGateway({
    env: {
      BODY_LIMIT_BYTES: String(64 * MiB),
      // feedback answers nothing: its port is closed. notifier is slow to answer (see /__slow).
      FEEDBACK_URL: `http://127.0.0.1:${await closedPort()}`,
      NOTIFIER_HEADERS_TIMEOUT_MS: '300',
    },
  });
  auth = { authorization: `Bearer ${await gw.token()}` };
});
afterAll(() => gw.close());

/** Streams `total` bytes to the gateway in chunks, without a Content-Length, and reads the answer. */
function streamUpload(path: string, total: number, headers: Record<string, string>) {
  const { hostname, port } = new URL(gw.url);
  const sent = createHash('sha256');
  return new Promise<{ status: number; received: Buffer; sentSha: string }>((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, received: Buffer.concat(chunks), sentSha: sent.digest('hex') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let written = 0;
    const writeMore = () => {
      while (written < total) {
        const chunk = randomBytes(Math.min(256 * 1024, total - written));
        written += chunk.length;
        sent.update(chunk);
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe('proxying', () => {
  it('streams a large request body to the service and a large answer back', async () => {
    const upload = await streamUpload('/api/events/e1/invitations/import', 24 * MiB, auth);
    expect(upload.status).toBe(200);
    const echo = JSON.parse(upload.received.toString());
    expect(echo.bodyBytes).toBe(24 * MiB);
    expect(echo.bodySha256).toBe(upload.sentSha);

    const download = await fetch(`${gw.url}/api/events/__bytes/${32 * MiB}`, { headers: auth });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(32 * MiB);
  });

  it('streams both ways at once (the answer starts before the upload ends)', async () => {
    const mirrored = await streamUpload('/api/events/__mirror', 16 * MiB, auth);
    expect(mirrored.status).toBe(200);
    expect(mirrored.received.length).toBe(16 * MiB);
    expect(createHash('sha256').update(mirrored.received).digest('hex')).toBe(mirrored.sentSha);
  });

  it('forwards a body with a Content-Length unchanged', async () => {
    const body = JSON.stringify({ username: 'alice', password: 'x'.repeat(5000) });
    const echo = await echoed(
      await fetch(`${gw.url}/api/auth/register`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(echo.bodyBytes).toBe(Buffer.byteLength(body));
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('forwards request id, trace context, client credentials and X-Forwarded-*', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await rawRequest(gw.url, '/api/auth/profile', {
      headers: {
        ...auth,
        cookie: 'access_token=abc; theme=dark',
        'x-request-id': 'req-123',
        traceparent,
        tracestate: 'vendor=1',
        host: 'convene.example:8443',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('req-123');
    const { headers } = JSON.parse(response.body);
    expect(headers['x-request-id']).toBe('req-123');
    expect(headers.traceparent).toBe(traceparent);
    expect(headers.tracestate).toBe('vendor=1');
    expect(headers.authorization).toBe(auth.authorization);
    expect(headers.cookie).toBe('access_token=abc; theme=dark');
    // No proxy in front is trusted: the client's own X-Forwarded-For is replaced by its address.
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-host']).toBe('convene.example:8443');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers.host).not.toBe('convene.example:8443');
  });

  it('makes up a request id and a trace when the client sent none (or junk)', async () => {
    const response = await rawRequest(gw.url, '/api/auth/profile', {
      headers: { ...auth, 'x-request-id': 'bad id with spaces', traceparent: '00-zz-yy-01' },
    });
    const { headers } = JSON.parse(response.body);
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-request-id']).toBe(headers['x-request-id']);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('strips hop-by-hop headers both ways and keeps every Set-Cookie', async () => {
    const response = await rawRequest(gw.url, '/api/auth/profile', {
      headers: {
        ...auth,
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        te: 'trailers',
        'proxy-authorization': 'Basic x',
      },
    });
    const { headers } = JSON.parse(response.body);
    expect(headers['x-secret-hop']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();

    const cookies = await rawRequest(gw.url, '/api/auth/__cookies', { headers: auth });
    expect(cookies.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(cookies.headers['keep-alive']).not.toBe('timeout=99');
  });

  it('adds security headers to proxied answers unless the service set its own', async () => {
    const response = await rawRequest(gw.url, '/api/auth/__cookies', { headers: auth });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 502 problem+json when the service is down', async () => {
    const response = await fetch(`${gw.url}/api/events/e1/feedback`, { headers: auth });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 502,
      code: 'UPSTREAM_UNAVAILABLE',
      request_id: expect.any(String),
    });
  });

  it('answers 504 problem+json when the service is slower than its timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${gw.url}/api/notifications/__slow/3000`, { headers: auth });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ status: 504, code: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('gives up on the service when the client leaves, and logs the request as 499', async () => {
    const aborted = fetch(`${gw.url}/api/events/__slow/1500`, { headers: auth, signal: AbortSignal.timeout(150) });
    await expect(aborted).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_http_requests_total\{group="events",method="GET",status="499"\} 1/);
    expect(metrics).toMatch(/gateway_upstream_errors_total\{upstream="events",kind="client-gone"\} 1/);
  });

  it('keeps serving the other services while one is down', async () => {
    const echo = await echoed(await fetch(`${gw.url}/api/events/e1`, { headers: auth }));
    expect(echo.service).toBe('events');
  });
});

describe('body size limit', () => {
  let small: TestGateway;
  beforeAll(async () => {
    small = await startGateway({ env: { BODY_LIMIT_BYTES: '1024' } });
  });
  afterAll(() => small.close());

  it('refuses a declared body over the limit with 413 before forwarding it', async () => {
    const response = await fetch(`${small.url}/api/auth/register`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('cuts a chunked body that grows over the limit with 413', async () => {
    const { hostname, port } = new URL(small.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/api/auth/register', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('x'.repeat(800));
      setTimeout(() => req.end('y'.repeat(800)), 20);
    });
    expect(status).toBe(413);
  });

  it('lets a body within the limit through', async () => {
    const echo = await echoed(
      await fetch(`${small.url}/api/auth/register`, { method: 'POST', body: 'x'.repeat(1000) }),
    );
    expect(echo.bodyBytes).toBe(1000);
  });
});
