import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The caller's address for per-IP throttling. Each trusted proxy (the gateway) appends the
 * address it saw to X-Forwarded-For, so with N trusted hops the client is the N-th entry from
 * the right; anything further left was written by the client and proves nothing.
 */
export function clientIp(c: Context, trustedHops: number): string | undefined {
  const socketAddress = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
  if (trustedHops === 0) return socketAddress;
  const forwarded = c.req
    .header('X-Forwarded-For')
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (!forwarded?.length) return socketAddress;
  return forwarded[Math.max(0, forwarded.length - trustedHops)];
}
