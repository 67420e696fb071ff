import type { MiddlewareHandler } from 'hono';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';

/** What a request that matched no route is counted under: raw paths would make a label per URL a client invents. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts every answered request under the route pattern that served it (`/api/events/:id`), its
 * method and status, with its duration. Registered before the routes, so it sees their answers,
 * errors included (the app's error handler has turned them into answers by then).
 */
export function countRequests({ metrics }: { metrics: Pick<ServiceMetrics, 'observeRequest'> }): MiddlewareHandler {
  return async function countRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(
        routeOf(c.req.routePath),
        c.req.method,
        c.res.status,
        (performance.now() - started) / 1000,
      );
    }
  };
}

/** After `next()`, Hono's routePath is the path of the last handler run: the route, or a catch-all middleware. */
function routeOf(routePath: string | undefined): string {
  if (!routePath || routePath.endsWith('*')) return UNMATCHED_ROUTE;
  return routePath;
}
