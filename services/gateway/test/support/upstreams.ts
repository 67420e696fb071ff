import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { type HttpBindings, serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono } from 'hono';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a Hono app on 127.0.0.1, a free port. */
export function startHono(app: Hono<{ Bindings: HttpBindings }>): Promise<Running & { server: Server }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        server: server as Server,
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeAllConnections();
            server.close(() => done());
          }),
      });
    }) as Server;
  });
}

/** What the echo upstream saw: the gateway's request as it reached the service. */
export interface Echo {
  service: string;
  method: string;
  /** Path and query exactly as received (`incoming.url`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  bodySha256: string;
}

export interface UpstreamOptions {
  /** Served at GET /openapi.json. */
  openapi?: unknown;
  /** Status of GET /readyz; a promise keeps the probe waiting until it settles. */
  readyStatus?: () => number | Promise<number>;
  /** Where requests to …/__hold/:key wait to be released (see Holds). */
  holds?: Holds;
}

interface Hold {
  reached: PromiseWithResolvers<void>;
  abandoned: PromiseWithResolvers<void>;
  released: PromiseWithResolvers<void>;
}

/**
 * Requests parked at …/__hold/:key until the test releases them. The test learns when the request
 * has reached the service (`reached`) and when the gateway hung up on it before it was answered
 * (`abandoned`), and decides itself when it is answered (`release`): no test has to guess how long
 * anything takes.
 */
export class Holds {
  readonly #holds = new Map<string, Hold>();

  #hold(key: string): Hold {
    let hold = this.#holds.get(key);
    if (!hold) {
      hold = {
        reached: Promise.withResolvers<void>(),
        abandoned: Promise.withResolvers<void>(),
        released: Promise.withResolvers<void>(),
      };
      this.#holds.set(key, hold);
    }
    return hold;
  }

  /** Resolves once a request for `key` is at the service, waiting. */
  reached(key: string): Promise<void> {
    return this.#hold(key).reached.promise;
  }

  /** Resolves once the connection of the waiting request closed before it was answered. */
  abandoned(key: string): Promise<void> {
    return this.#hold(key).abandoned.promise;
  }

  /** Lets the request for `key` (or the next one) be answered. */
  release(key: string): void {
    this.#hold(key).released.resolve();
  }

  releaseAll(): void {
    for (const hold of this.#holds.values()) hold.released.resolve();
  }

  /** The service's side: called by the upstream when a request for `key` arrives. */
  async park(key: string, outgoing: HttpBindings['outgoing']): Promise<void> {
    const hold = this.#hold(key);
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) hold.abandoned.resolve();
    });
    hold.reached.resolve();
    await hold.released.promise;
  }
}

/**
 * A stand-in for a service: answers every path with what it received (see Echo), plus a few
 * special paths (under any prefix) used by the streaming and failure tests:
 *   GET  …/__bytes/:n      streams n bytes back in 64 KiB chunks
 *   POST …/__mirror        streams the request body back as it arrives
 *   GET  …/__slow/:ms      answers after ms milliseconds
 *   GET  …/__hold/:key     answers once the test releases `key` (see Holds)
 *   GET  …/__cookies       sets two cookies, a hop-by-hop header and its own X-Frame-Options
 */
export function echoApp(
  service: string,
  { openapi, readyStatus = () => 200, holds = new Holds() }: UpstreamOptions = {},
) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/readyz', async (c) => {
    const status = await readyStatus();
    return c.json({ status: status === 200 ? 'ok' : 'down' }, status as 200);
  });
  if (openapi) app.get('/openapi.json', (c) => c.json(openapi));
  app.all('*', async (c) => {
    const { incoming } = c.env;
    const held = /\/__hold\/([\w-]+)\/?$/.exec(c.req.path);
    if (held) {
      await holds.park(held[1]!, c.env.outgoing);
      return c.json({ service, held: held[1] });
    }
    const special = /\/__(bytes|mirror|slow|cookies)(?:\/(\d+))?\/?$/.exec(c.req.path);
    if (special) return answerSpecial(c, service, special[1]!, Number(special[2]));
    const hash = createHash('sha256');
    let bodyBytes = 0;
    try {
      for await (const chunk of incoming) {
        bodyBytes += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
    } catch {
      // The gateway gave up on this request (a body over the limit): nobody reads the answer.
      return c.body(null, 400);
    }
    const echo: Echo = {
      service,
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      bodyBytes,
      bodySha256: hash.digest('hex'),
    };
    return c.json(echo);
  });
  return app;
}

function answerSpecial(c: Context<{ Bindings: HttpBindings }>, service: string, kind: string, n: number) {
  if (kind === 'bytes') {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= n) return void this.push(null);
        const size = Math.min(chunk.length, n - sent);
        sent += size;
        this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
      },
    });
    return new Response(Readable.toWeb(body) as ReadableStream, {
      headers: { 'content-type': 'application/octet-stream' },
    });
  }
  if (kind === 'mirror') {
    const { incoming, outgoing } = c.env;
    outgoing.writeHead(200, { 'content-type': 'application/octet-stream' });
    incoming.pipe(outgoing);
    return new Promise<Response>((resolve) => outgoing.on('finish', () => resolve(RESPONSE_ALREADY_SENT)));
  }
  if (kind === 'slow') {
    return new Promise<Response>((resolve) => setTimeout(() => resolve(c.json({ service, slow: true })), n));
  }
  c.header('Set-Cookie', 'a=1; Path=/', { append: true });
  c.header('Set-Cookie', 'b=2; Path=/', { append: true });
  c.header('Keep-Alive', 'timeout=99');
  c.header('X-Frame-Options', 'DENY');
  return c.json({ ok: true });
}

export async function startEcho(service: string, options?: UpstreamOptions) {
  return startHono(echoApp(service, options));
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
