import { activeTraceId, type Logger } from '@convene/kit';
import type { Context, MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics.ts';
import type { GatewayEnv } from './gateway-env.ts';

/** Probes and scrapes: never rate limited, logged at debug only, counted as "ops". */
export const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const SECRET_PARAM = /token|secret|password|key|code/i;

/**
 * One timing per request for both the access log and the metrics, with the status the client
 * really got (a proxied answer's, not the "already sent" marker's). The log line is like the
 * services' (method, path, status, duration, request, trace and user id) plus the service it went to;
 * token path segments are masked and the query string is never logged.
 */
export function observeRequests({
  logger,
  metrics,
}: {
  logger: Logger;
  metrics: Metrics;
}): MiddlewareHandler<GatewayEnv> {
  return async function observeRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const status = c.get('sentStatus') ?? c.res.status;
      const upstream = c.get('route')?.rule.upstream;
      const path = c.req.path;
      const ops = OPS_PATHS.has(path);
      metrics.observeRequest(upstream ?? routeGroup(path, ops), c.req.method, status, ms / 1000);
      const level = status >= 500 ? 'error' : ops ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        const user = c.get('user');
        const traceId = activeTraceId();
        logger[level](
          {
            request_id: c.get('requestId'),
            ...(traceId ? { trace_id: traceId } : {}),
            method: c.req.method,
            path: loggablePath(c),
            status,
            duration_ms: Math.round(ms * 10) / 10,
            ...(upstream ? { upstream } : {}),
            ...(user ? { user_id: user.id } : {}),
          },
          'request',
        );
      }
    }
  };
}

function routeGroup(path: string, ops: boolean): string {
  if (ops) return 'ops';
  if (path.startsWith('/api/docs') || path.startsWith('/api/redoc') || path.startsWith('/api/openapi.json'))
    return 'docs';
  if (path.startsWith('/e/') || path.startsWith('/invite/') || path.startsWith('/set-password/')) return 'pages';
  return 'unmatched';
}

export function loggablePath(c: Context<GatewayEnv>): string {
  const path = c.req.path;
  let pattern = c.get('route')?.rule.path;
  if (!pattern) {
    try {
      pattern = c.req.routePath;
    } catch {
      return path;
    }
  }
  if (!pattern?.includes('/:')) return path;
  const expected = pattern.split('/');
  return path
    .split('/')
    .map((segment, i) => {
      const name = expected[i];
      return name?.startsWith(':') && SECRET_PARAM.test(name) ? '[redacted]' : segment;
    })
    .join('/');
}
