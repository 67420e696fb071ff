import type { Context } from 'hono';

/**
 * The URL the client used: behind the gateway the service sees its own host, so the
 * X-Forwarded-Proto/Host the gateway sets win. Only the first value of a list counts (the edge).
 */
export function publicRequestUrl(c: Context): URL {
  const url = new URL(c.req.url);
  const proto = firstValue(c.req.header('X-Forwarded-Proto'));
  const host = firstValue(c.req.header('X-Forwarded-Host'));
  if (proto && /^https?$/i.test(proto)) url.protocol = `${proto.toLowerCase()}:`;
  if (host) {
    url.host = host;
    // The URL setter keeps the old port when the new host names none: the edge's default port.
    if (!/:\d+$/.test(host)) url.port = '';
  }
  return url;
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value || undefined;
}
