import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/**
 * A 127.0.0.1 port that nothing listened on a moment ago: for an address a service must know
 * before the server behind it starts (links in emails), or for one that refuses connections.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
