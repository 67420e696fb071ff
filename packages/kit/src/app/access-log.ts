import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logging/create-logger.ts';
import { loggablePath } from './loggable-path.ts';

export interface AccessLogOptions {
  logger: Logger;
  /** Paths logged at debug only (probes would drown the log). */
  quietPaths?: string[];
}

/**
 * One JSON line per request: method, path, status, duration, request id, user id.
 * Never the query string, headers or body; path parameters named like secrets are masked.
 */
export function accessLog({ logger, quietPaths = ['/healthz', '/readyz'] }: AccessLogOptions): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ request_id: requestId }));
    try {
      await next();
    } finally {
      const status = c.res.status;
      const line = {
        request_id: requestId,
        method: c.req.method,
        path: loggablePath(c),
        status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
        ...(c.get('user') ? { user_id: c.get('user')?.id } : {}),
      };
      if (status >= 500) logger.error(line, 'request');
      else if (quietPaths.includes(c.req.path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
