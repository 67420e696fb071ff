import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as serveNode, type WebSocketServerLike } from '@hono/node-server';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port; read the bound one from the result. */
  port: number;
  /** Attach a `ws` server for upgrade requests (notifier). */
  websocket?: { server: WebSocketServerLike };
  /** How long close() lets in-flight requests finish before cutting their connections. */
  drainMs?: number;
}

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

/** Serves a Hono app on node:http and resolves once it listens. */
export function serve(
  app: FetchApp,
  { host = '127.0.0.1', port, websocket, drainMs = 10_000 }: ServeOptions,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serveNode({
      fetch: app.fetch as (request: Request) => Response | Promise<Response>,
      hostname: host,
      port,
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
        close: () => closeServer(server, drainMs),
      });
    });
  });
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
