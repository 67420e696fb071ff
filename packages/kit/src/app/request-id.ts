import type { MiddlewareHandler } from 'hono';
import { nodeResponse, requestHeader } from './node-bindings.ts';

/** What an incoming id may look like to be kept (hono's request-id rule): word characters, `-`, `=`. */
const ACCEPTABLE = /^[\w\-=]{1,255}$/;

/**
 * `X-Request-Id`: the caller's (the gateway's) when it is acceptable, a new UUID otherwise; set as
 * `c.var.requestId` and echoed on the answer.
 */
export function requestIds(): MiddlewareHandler {
  return async function assignRequestId(c, next) {
    const incoming = requestHeader(c, 'x-request-id');
    const id = incoming !== undefined && ACCEPTABLE.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    const outgoing = nodeResponse(c);
    if (outgoing) outgoing.setHeader('X-Request-Id', id);
    else c.header('X-Request-Id', id);
    await next();
  };
}
