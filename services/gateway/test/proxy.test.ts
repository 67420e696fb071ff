import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
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
      // feedback answers nothing: its port is closed. Only notifier has a short headers timeout;
      // every other service gets far longer than any test here waits (see the 504 test).
      FEEDBACK_URL: `http://127.0.0.1:${await closedPort()}`,
      UPSTREAM_HEADERS_TIMEOUT_MS: '120000',
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `promise`, or a failure saying `what` if it has not settled within `ms` (a bound, not a pace). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
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
    // The service mirrors the body as it arrives. The client sends the first 64 KiB and holds the
    // rest back until those bytes have come back to it: only a gateway that streams both ways at
    // once gets there. One that buffered the request or the answer would leave the client waiting.
    const { hostname, port } = new URL(gw.url);
    const head = randomBytes(64 * 1024);
    const tail = randomBytes(16 * MiB);
    const headBack = Promise.withResolvers<IncomingMessage>();
    const ended = Promise.withResolvers<void>();
    const failed = Promise.withResolvers<never>();
    const received: Buffer[] = [];
    let receivedBytes = 0;
    const req = httpRequest(
      {
        hostname,
        port,
        path: '/api/events/__mirror',
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          received.push(chunk);
          receivedBytes += chunk.length;
          if (receivedBytes >= head.length) headBack.resolve(res);
        });
        res.on('end', () => ended.resolve());
        res.on('error', failed.reject);
      },
    );
    req.on('error', failed.reject);
    try {
      req.write(head);
      const res = await within(
        Promise.race([headBack.promise, failed.promise]),
        20_000,
        'the start of the answer never came back while the upload was held back: the gateway buffers',
      );
      expect(req.writableEnded).toBe(false);
      expect(res.statusCode).toBe(200);
      req.end(tail);
      await Promise.race([ended.promise, failed.promise]);
    } finally {
      req.destroy();
    }
    const mirrored = Buffer.concat(received);
    expect(mirrored.length).toBe(head.length + tail.length);
    expect(sha256(mirrored)).toBe(sha256(Buffer.concat([head, tail])));
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
    // The service never answers (it is released only after the test), so only the gateway's
    // timeout can end the request. Notifier's own 300 ms is the one that applies: the default of
    // every other service (120 s) would outlast the client's patience below.
    try {
      const response = await fetch(`${gw.url}/api/notifications/__hold/timeout`, {
        headers: auth,
        signal: AbortSignal.timeout(20_000),
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ status: 504, code: 'UPSTREAM_TIMEOUT' });
      await gw.holds.reached('timeout');
      // The gateway hung up on the service rather than leave the request running there.
      await within(gw.holds.abandoned('timeout'), 10_000, 'the gateway left the timed-out request at the service');
    } finally {
      gw.holds.release('timeout');
    }
  });

  it('gives up on the service when the client leaves, and logs the request as 499', async () => {
    const client = new AbortController();
    const aborted = fetch(`${gw.url}/api/events/__hold/client-leaves`, { headers: auth, signal: client.signal });
    try {
      // The client leaves only once its request is at the service.
      await within(gw.holds.reached('client-leaves'), 10_000, 'the request never reached the service');
      client.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      await within(gw.holds.abandoned('client-leaves'), 10_000, 'the gateway kept the request going at the service');
      const metrics = () => fetch(`${gw.url}/metrics`).then((response) => response.text());
      await expect
        .poll(metrics, { timeout: 10_000 })
        .toMatch(/^gateway_http_requests_total\{group="events",method="GET",status="499"\} 1$/m);
      expect(await metrics()).toMatch(/^gateway_upstream_errors_total\{upstream="events",kind="client-gone"\} 1$/m);
    } finally {
      gw.holds.release('client-leaves');
    }
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
      // Two chunks without a Content-Length: only the running count can notice the limit.
      req.write('x'.repeat(800));
      req.end('y'.repeat(800));
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
