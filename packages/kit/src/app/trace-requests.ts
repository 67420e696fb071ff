import { context, ProxyTracerProvider, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { loggablePath } from './loggable-path.ts';
import { nodeRequestHeaders } from './node-bindings.ts';

/**
 * A server span per request named `GET /api/events/:id`, continuing the caller's trace
 * (`traceparent` from the gateway). While no SDK is started (no OTLP endpoint) there is neither a
 * tracer nor a propagator to hand the request to, and the request passes straight on: the no-op
 * span, its context and a copy of every request header cost several µs a request for nothing.
 */
export function traceRequests({ service }: { service: string }): MiddlewareHandler {
  const name = `@convene/kit:${service}`;
  const tracer = trace.getTracer(name);
  return async function traceRequest(c, next) {
    if (!tracingActive(name)) return next();
    const parent = propagation.extract(context.active(), nodeRequestHeaders(c) ?? c.req.header());
    const method = c.req.method;
    await tracer.startActiveSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
      parent,
      async (span) => {
        try {
          await next();
          const route = c.res.status === 404 && c.req.routePath.endsWith('*') ? undefined : c.req.routePath;
          if (route) {
            span.updateName(`${method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('url.path', loggablePath(c));
          span.setAttribute('http.response.status_code', c.res.status);
          if (c.error) span.recordException(c.error);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  };
}

/** An SDK registered a tracer provider, or at least a propagator (then the caller's context is kept). */
function tracingActive(name: string): boolean {
  const provider = trace.getTracerProvider();
  if (!(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(name) !== undefined) return true;
  return propagation.fields().length > 0;
}
