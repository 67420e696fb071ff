import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { headers?: IncomingHttpHeaders };
  outgoing?: ServerResponse;
}

/**
 * A request header, read from node's own parsed headers when the app is served by
 * @hono/node-server (`c.env.incoming`): `c.req.header()` would first build a fetch `Headers` of
 * every request header, which costs more than the rest of a `/healthz`. Under `app.request()`
 * (tests) there are no bindings and the fetch request answers. `name` must be lower-case.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every request header as node parsed them (lower-case names), when served by node. */
export function nodeRequestHeaders(c: Context): IncomingHttpHeaders | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.headers;
}

/**
 * The node response a served app answers on, while its head can still take headers. Headers set
 * here are merged by node with the ones of the fetch Response when it is written (the Response's
 * win), without building a fetch `Headers` for them.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent ? outgoing : undefined;
}
