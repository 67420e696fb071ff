import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * At most `max` open connections per client address (0: no cap). Counted on 'connection' and
 * 'close', so it costs a map entry per address: a client that opens one more is disconnected at
 * once, before any of its bytes are parsed. It bounds what one address can hold with idle or slow
 * connections, which the per-request rate limit never sees.
 */
export function capConnectionsPerClient(
  server: Server,
  { max, onRefused }: { max: number; onRefused?: (address: string) => void },
): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', function countConnection(socket: Socket) {
    const address = normalizeAddress(socket.remoteAddress ?? 'unknown');
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      onRefused?.(address);
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
