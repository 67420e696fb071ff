import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';

// The edge against what an attacker sends (issue 7), with a scripted stand-in for auth so each
// test decides exactly what the service does: bodies over the limit, a service that answers
// before the body is in, a keep-alive socket the service drops, connection floods, bad forms.

const LIMIT = 1024;
const IMPORT_LIMIT = 4096;

interface Seen {
  method: string;
  url: string;
  bytes: number;
}

/**
 * A plain node:http service. GET /readyz answers 200 on a connection's first request and drops
 * the connection without a word on any later one (a keep-alive socket closed under the pool).
 * POST …/early answers 401 at once, without reading the body. Anything else is read whole and
 * echoed. Every request it received is in `seen`.
 */
async function startScriptedService() {
  const seen: Seen[] = [];
  const requestsOn = new WeakMap<object, number>();
  const server: Server = createServer((req, res) => {
    const count = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, count);
    if (req.url === '/readyz') {
      seen.push({ method: req.method ?? '', url: req.url, bytes: 0 });
      if (count > 1) return void req.socket.destroy();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    }
    if (req.url?.endsWith('/early')) {
      seen.push({ method: req.method ?? '', url: req.url, bytes: 0 });
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":401}');
    }
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
    });
    req.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Scripted = Awaited<ReturnType<typeof startScriptedService>>;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request on a connection of its own; `write` sends the body however the test wants. */
function send(
  base: string,
  path: string,
  {
    method = 'POST',
    headers = {},
    write,
  }: { method?: string; headers?: Record<string, string>; write?: (req: ReturnType<typeof httpRequest>) => void } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (write) write(req);
    else req.end();
  });
}

let service: Scripted;
let gw: TestGateway;
beforeAll(async () => {
  service = await startScriptedService();
  gw = await startGateway({
    env: {
      AUTH_URL: service.url,
      INVITATIONS_URL: service.url,
      READY_UPSTREAMS: 'auth',
      BODY_LIMIT_BYTES: String(LIMIT),
      IMPORT_BODY_LIMIT_BYTES: String(IMPORT_LIMIT),
    },
  });
});
afterAll(async () => {
  await gw?.close();
  await service?.close();
});

const since = (mark: number) => service.seen.slice(mark).map((s) => `${s.method} ${s.url} ${s.bytes}`);

describe('the body limit at the edge', () => {
  it('refuses a declared body over the limit with 413 and Connection: close; the service never sees it', async () => {
    const mark = service.seen.length;
    const body = 'x'.repeat(LIMIT + 1);
    const answer = await send(gw.url, '/api/auth/login', {
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      write: (req) => req.end(body),
    });
    expect([answer.status, answer.headers.connection]).toEqual([413, 'close']);
    expect(JSON.parse(answer.body)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: `Request body is larger than ${LIMIT} bytes.`,
    });
    expect(since(mark)).toEqual([]);
  });

  it('cuts a chunked body at the limit and still answers the client 413 (not a reset)', async () => {
    const answer = await send(gw.url, '/api/auth/login', {
      headers: { 'content-type': 'application/json' },
      write: (req) => {
        for (let i = 0; i < 8; i++) req.write('y'.repeat(512));
        req.end();
      },
    });
    expect([answer.status, answer.headers.connection]).toEqual([413, 'close']);
  });

  it('lets the import route take up to IMPORT_BODY_LIMIT_BYTES, and no more', async () => {
    const mark = service.seen.length;
    const auth = { authorization: `Bearer ${await gw.token()}`, 'content-type': 'text/csv' };
    const fits = 'z'.repeat(IMPORT_LIMIT);
    const ok = await send(gw.url, '/api/events/e1/invitations/import', {
      headers: { ...auth, 'content-length': String(fits.length) },
      write: (req) => req.end(fits),
    });
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { bytes: IMPORT_LIMIT }]);
    const tooMuch = `${fits}z`;
    const refused = await send(gw.url, '/api/events/e1/invitations/import', {
      headers: { ...auth, 'content-length': String(tooMuch.length) },
      write: (req) => req.end(tooMuch),
    });
    expect(refused.status).toBe(413);
    // The same size is too much for any other route.
    const elsewhere = await send(gw.url, '/api/events/e1/invitations', {
      headers: { ...auth, 'content-length': String(fits.length) },
      write: (req) => req.end(fits),
    });
    expect(elsewhere.status).toBe(413);
    expect(since(mark)).toEqual([`POST /api/events/e1/invitations/import ${IMPORT_LIMIT}`]);
  });

  it('closes the client connection after a service answers before the body is all in', async () => {
    const answer = await send(gw.url, '/api/auth/early', {
      headers: { 'content-type': 'application/json', 'content-length': '600' },
      // Part of the body, then the rest only once the answer is in.
      write: (req) => {
        req.write('a'.repeat(100));
        req.once('response', () => req.end('b'.repeat(500)));
      },
    });
    expect([answer.status, answer.headers.connection]).toEqual([401, 'close']);
  });
});

describe('readiness', () => {
  it('reports a service up when the pooled keep-alive socket to it turns out closed', async () => {
    const mark = service.seen.length;
    const first = await (await fetch(`${gw.url}/healthz`)).json();
    // The service drops this one when it is reused: the gateway asks again on a connection of its own.
    const second = await (await fetch(`${gw.url}/healthz`)).json();
    expect([first, second]).toEqual([
      { status: 'ok', checks: { auth: 'ok' } },
      { status: 'ok', checks: { auth: 'ok' } },
    ]);
    expect(since(mark)).toEqual(['GET /readyz 0', 'GET /readyz 0', 'GET /readyz 0']);
  });
});

describe('the public pages', () => {
  it.each([
    [
      'bytes that are not UTF-8',
      Buffer.concat([Buffer.from('password='), Buffer.from([0xc3, 0x28]), Buffer.from('&password2=x')]),
    ],
    ['%-escapes that are not UTF-8', Buffer.from('password=%C3%28%FF&password2=%C3%28%FF')],
  ])('refuse a form with %s (400), and call no service', async (_what, body) => {
    const mark = service.seen.length;
    const answer = await send(gw.url, '/set-password/some-token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
      write: (req) => req.end(body),
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.body).toContain('The form could not be read.');
    expect(since(mark)).toEqual([]);
  });
});

describe('the public pages, continued', () => {
  it('refuse a form larger than a form needs (413), chunked bodies included, and call no service', async () => {
    const mark = service.seen.length;
    const answer = await send(gw.url, '/set-password/some-token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      write: (req) => {
        req.write('password=');
        for (let i = 0; i < 20; i++) req.write('p'.repeat(1024));
        req.end('&password2=x');
      },
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('The form could not be read.');
    expect(since(mark)).toEqual([]);
  });
});

describe('connections per client', () => {
  let capped: TestGateway;
  beforeAll(async () => {
    capped = await startGateway({ env: { MAX_CONNECTIONS_PER_CLIENT: '3' } });
  });
  afterAll(() => capped?.close());

  /** A raw keep-alive connection that has had one /healthz answered (so the gateway counts it). */
  async function held(): Promise<Socket> {
    const { port } = new URL(capped.url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    const answered = await exchange(socket);
    expect(answered).toMatch(/^HTTP\/1\.1 200 /);
    return socket;
  }

  /** Sends GET /healthz on `socket`; resolves with the start of the answer, or '' if it was closed first. */
  function exchange(socket: Socket): Promise<string> {
    return new Promise((resolve) => {
      let received = '';
      const onData = (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) done();
      };
      const done = () => {
        socket.off('data', onData);
        socket.off('close', done);
        resolve(received);
      };
      socket.on('data', onData);
      socket.once('close', done);
      socket.on('error', () => {});
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
  }

  it('disconnects the connection over the cap at once and takes a new one when one closes', async () => {
    const sockets = [await held(), await held(), await held()];
    try {
      const { port } = new URL(capped.url);
      const over = connect({ host: '127.0.0.1', port: Number(port) });
      expect(await exchange(over)).toBe('');
      sockets.shift()!.destroy();
      // The gateway learns of the close when it reads it: a bounded wait for that, not a pace.
      await expect
        .poll(
          async () => {
            const fresh = connect({ host: '127.0.0.1', port: Number(port) });
            const answer = await exchange(fresh);
            fresh.destroy();
            return answer.slice(0, 12);
          },
          { timeout: 5_000 },
        )
        .toBe('HTTP/1.1 200');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
