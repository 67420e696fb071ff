import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingRelay {
  url: string;
  /** `METHOD /path?query` of every request passed on, in order of arrival. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A plain HTTP relay in front of `target` that writes down each request it passes on (method and
 * path as received) and otherwise forwards bytes as they are, both ways: the gateway reaches a
 * service through it, so a test can tell whether a request got past the edge.
 */
export async function startCountingRelay(target: string): Promise<CountingRelay> {
  const { hostname, port } = new URL(target);
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      { hostname, port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: relayPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${relayPort}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
