import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as serveNode, type WebSocketServerLike } from '@hono/node-server';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port; read the bound one from the result. */
  port: number;
  /**
   * Attach a `ws` server for upgrade requests (the notifier's real-time sockets). close() ends
   * its open sockets first: an upgraded socket is no request that finishes, and it would hold
   * the server open until the client left.
   */
  websocket?: { server: WebSocketServerLike & { clients?: Iterable<{ terminate(): void }> } };
  /** How long close() lets in-flight requests finish before cutting their connections. */
  drainMs?: number;
  /** The whole header block must arrive within this (408 and closed otherwise); default 10 s. */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this; default 30 s. */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this; default 5 s. */
  keepAliveTimeoutMs?: number;
}

/** The timeouts every server gets unless told otherwise (BaseEnv's HTTP_*_TIMEOUT_MS defaults). */
export const SERVER_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

export interface RunningServer {
  server: Server;
  port: number;
  host: string;
  /** `http://host:port` of the bound socket. */
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to drainMs), then closes. */
  close(): Promise<void>;
}

interface FetchApp {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
}

/**
 * Serves a Hono app on node:http and resolves once it listens. Node's own defaults let a client
 * take 60 s over its headers and 5 min over its request, and check only every 30 s; here both are
 * explicit and checked often enough that a slow client is cut close to the configured time.
 */
export function serve(
  app: FetchApp,
  {
    host = '127.0.0.1',
    port,
    websocket,
    drainMs = 10_000,
    headersTimeoutMs = SERVER_TIMEOUTS.headersTimeoutMs,
    requestTimeoutMs = SERVER_TIMEOUTS.requestTimeoutMs,
    keepAliveTimeoutMs = SERVER_TIMEOUTS.keepAliveTimeoutMs,
  }: ServeOptions,
): Promise<RunningServer> {
  if (headersTimeoutMs > requestTimeoutMs) {
    return Promise.reject(
      new RangeError(`headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs})`),
    );
  }
  return new Promise((resolve, reject) => {
    const server = serveNode({
      fetch: app.fetch as (request: Request) => Response | Promise<Response>,
      hostname: host,
      port,
      serverOptions: {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        keepAliveTimeout: keepAliveTimeoutMs,
        // Node looks for timed-out requests only this often (30 s by default).
        connectionsCheckingInterval: checkingInterval(headersTimeoutMs),
      },
      ...(websocket ? { websocket } : {}),
    }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        port: bound,
        host,
        url: `http://${urlHost}:${bound}`,
        close: () => {
          for (const client of websocket?.server.clients ?? []) client.terminate();
          return closeServer(server, drainMs);
        },
      });
    });
  });
}

/** A quarter of the headers timeout, between 100 ms and 1 s: a slow client is cut at most that late. */
export function checkingInterval(headersTimeoutMs: number): number {
  return Math.min(1_000, Math.max(100, Math.floor(headersTimeoutMs / 4)));
}

const closing = new WeakMap<Server, Promise<void>>();

function closeServer(server: Server, drainMs: number): Promise<void> {
  const pending = closing.get(server);
  if (pending) return pending;
  const done = new Promise<void>((resolve, reject) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), drainMs);
    // Keep-alive sockets hold close() open until they time out; close each one as soon as its
    // last response is out (node only closes the sockets idle at the moment close() is called).
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close((err) => {
      clearTimeout(force);
      clearInterval(sweep);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
  closing.set(server, done);
  return done;
}
