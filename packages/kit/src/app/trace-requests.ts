import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { tracingActive } from '../telemetry/tracing-active.ts';
import { loggablePath } from './loggable-path.ts';
import { nodeRequestHeaders, requestHeader } from './node-bindings.ts';

/** What the span says of a request once it is answered; the kit reads it from Hono's routing. */
export interface TracedRequest {
  /** The route template (`/api/events/:id`), when one matched. */
  route: string | undefined;
  /** The path with secret-looking parameters masked; never the query string. */
  path: string;
  status: number;
}

/** Probes and scrapes: every few seconds from every replica, a trace each would bury the real ones. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface TraceRequestsOptions {
  service: string;
  /** For an app that routes by its own table (the gateway): its route, masked path and status. */
  describe?: (c: Context) => TracedRequest;
}

/**
 * A server span per request (probes and scrapes aside) named `GET /api/events/:id`, continuing the caller's trace
 * (`traceparent` from the gateway), with the HTTP semantic conventions' attributes. The query
 * string, headers and bodies are never put on it (tokens travel in them). While no SDK is started
 * (no OTLP endpoint) there is neither a tracer nor a propagator to hand the request to, and the
 * request passes straight on: the no-op span, its context and a copy of every request header cost
 * several µs a request for nothing.
 */
export function traceRequests({ service, describe = describeByRoute }: TraceRequestsOptions): MiddlewareHandler {
  const name = `@convene/kit:${service}`;
  const tracer = trace.getTracer(name);
  return async function traceRequest(c, next) {
    if (UNTRACED_PATHS.has(c.req.path) || !tracingActive(name)) return next();
    const parent = propagation.extract(context.active(), nodeRequestHeaders(c) ?? c.req.header());
    const method = c.req.method;
    await tracer.startActiveSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, ...serverAttributes(c) } },
      parent,
      async (span) => {
        try {
          await next();
          const { route, path, status } = describe(c);
          if (route) {
            span.updateName(`${method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('url.path', path);
          span.setAttribute('http.response.status_code', status);
          // 4xx answers are the client's errors, not the server's (HTTP semantic conventions).
          if (status >= 500) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.setAttribute('error.type', c.error?.name ?? String(status));
          }
        } finally {
          span.end();
        }
      },
    );
  };
}

function describeByRoute(c: Context): TracedRequest {
  const status = c.res.status;
  // A catch-all's 404 names no route: every unknown path would otherwise share one span name.
  const route = status === 404 && c.req.routePath.endsWith('*') ? undefined : c.req.routePath;
  return { route, path: loggablePath(c), status };
}

/** url.scheme, server.address and server.port as the client addressed us (Host, or the proxy's). */
function serverAttributes(c: Context): Record<string, string | number> {
  const forwardedProto = requestHeader(c, 'x-forwarded-proto')?.split(',')[0]?.trim();
  const scheme = forwardedProto || new URL(c.req.url).protocol.replace(':', '');
  const host = requestHeader(c, 'x-forwarded-host')?.split(',')[0]?.trim() || requestHeader(c, 'host');
  const attributes: Record<string, string | number> = { 'url.scheme': scheme };
  if (!host) return attributes;
  const { hostname, port } = parseHost(host);
  attributes['server.address'] = hostname;
  if (port) attributes['server.port'] = port;
  else attributes['server.port'] = scheme === 'https' ? 443 : 80;
  return attributes;
}

function parseHost(host: string): { hostname: string; port: number | undefined } {
  const bracket = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.lastIndexOf(':');
  if (colon > bracket && colon !== -1) {
    const port = Number(host.slice(colon + 1));
    return { hostname: host.slice(0, colon), port: Number.isInteger(port) ? port : undefined };
  }
  return { hostname: host, port: undefined };
}
