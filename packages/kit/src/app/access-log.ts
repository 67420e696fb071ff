import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logging/create-logger.ts';
import { loggablePath } from './loggable-path.ts';

export interface AccessLogOptions {
  logger: Logger;
  /** Paths logged at debug only (probes and scrapes would drown the log). */
  quietPaths?: string[];
}

/**
 * One JSON line per request: method, path, status, duration, request id, user id, and the trace
 * id while a trace is recorded (the span traceRequests opened), so a line leads to its trace.
 * Never the query string, headers or body; path parameters named like secrets are masked.
 * The line is only built when its level is enabled (`LOG_LEVEL=warn` logs only the 5xx ones).
 */
export function accessLog({
  logger,
  quietPaths = ['/healthz', '/readyz', '/metrics'],
}: AccessLogOptions): MiddlewareHandler {
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
        const traceId = activeTraceId();
        const line = {
          request_id: requestId,
          ...(traceId ? { trace_id: traceId } : {}),
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

/** The trace the request is part of: the active span's id, when a valid one is active (none without an SDK). */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : undefined;
}
