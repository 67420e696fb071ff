import type { Logger } from '@convene/kit';
import type { MiddlewareHandler } from 'hono';
import { newRequestId } from '../proxy/request-id.ts';
import type { GatewayEnv } from './gateway-env.ts';

/**
 * Gives every request its id (the client's when it is a sane token, else a new UUID) and the
 * logger. Answers the gateway renders itself get X-Request-Id and the security headers on the way
 * out; proxied answers get both in forward.ts, since they never pass through a Hono Response.
 */
export function requestContext({
  logger,
  securityHeaders,
}: {
  logger: Logger;
  /** What hono's secureHeaders() sets (see securityHeaderDefaults); a page's own CSP wins. */
  securityHeaders: Record<string, string>;
}): MiddlewareHandler<GatewayEnv> {
  const entries = Object.entries(securityHeaders);
  return async function setRequestContext(c, next) {
    const requestId = newRequestId(c.env.incoming.headers['x-request-id']);
    c.set('requestId', requestId);
    c.set('logger', logger);
    await next();
    if (c.get('sentStatus') !== undefined) return;
    const headers = c.res.headers;
    headers.set('X-Request-Id', requestId);
    for (const [name, value] of entries) if (!headers.has(name)) headers.set(name, value);
  };
}
