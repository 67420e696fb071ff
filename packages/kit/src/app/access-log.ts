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
 * The line is only built when its level is enabled (`LOG_LEVEL=warn` logs only the 5xx ones).
 */
export function accessLog({ logger, quietPaths = ['/healthz', '/readyz'] }: AccessLogOptions): MiddlewareHandler {
  const quiet = new Set(quietPaths);
  return async function logRequest(c, next) {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ request_id: requestId }));
    try {
      await next();
    } finally {
      const status = c.res.status;
      const level = status >= 500 ? 'error' : quiet.has(c.req.path) ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        const user = c.get('user');
        const line = {
          request_id: requestId,
          method: c.req.method,
          path: loggablePath(c),
          status,
          duration_ms: Math.round((performance.now() - started) * 10) / 10,
          ...(user ? { user_id: user.id } : {}),
        };
        logger[level](line, 'request');
      }
    }
  };
}
