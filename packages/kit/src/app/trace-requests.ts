import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { loggablePath } from './loggable-path.ts';

/**
 * A server span per request named `GET /api/events/:id`, continuing the caller's trace
 * (`traceparent` from the gateway). Costs next to nothing while no SDK is started.
 */
export function traceRequests({ service }: { service: string }): MiddlewareHandler {
  const tracer = trace.getTracer(`@convene/kit:${service}`);
  return async function traceRequest(c, next) {
    const parent = propagation.extract(context.active(), c.req.header());
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
