import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AuthUser } from '../auth/user.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import type { Logger } from '../logging/create-logger.ts';
import { accessLog } from './access-log.ts';
import { handleErrors, handleNotFound } from './handle-errors.ts';
import { traceRequests } from './trace-requests.ts';
import { validationHook } from './validation-hook.ts';

/** Context variables every kit app provides (also declared on Hono's ContextVariableMap). */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    user: AuthUser | undefined;
  };
};

export interface CreateAppOptions {
  /** Service name, on every log line and span. */
  service: string;
  logger: Logger;
  /** OpenAPI document title; defaults to "Convene <service>". */
  title?: string;
  version?: string;
  /** Largest request body accepted; 1 MiB unless a service needs more (CSV import). */
  bodyLimitBytes?: number;
}

/**
 * The Hono app every service starts from: request ids, access log, trace span, secure headers,
 * a body limit, paths with or without a trailing slash, problem+json for every error (malformed
 * JSON, failed validation, unknown fields of strict schemas, 404s, crashes), and the service's
 * OpenAPI 3.1 document at GET /openapi.json.
 */
export function createApp({
  service,
  logger,
  title = `Convene ${service}`,
  version = '0.1.0',
  bodyLimitBytes = 1024 * 1024,
}: CreateAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(traceRequests({ service }));
  app.use(accessLog({ logger }));
  app.use(secureHeaders());
  app.use(
    bodyLimit({
      maxSize: bodyLimitBytes,
      onError: () => {
        throw new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${bodyLimitBytes} bytes.`);
      },
    }),
  );
  app.onError(handleErrors({ logger }));
  app.notFound(handleNotFound());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'access_token',
  });
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title, version } });
  return app;
}

/**
 * A sub-app for one resource, mounted with `app.route('/api/events', router)`. It shares the
 * kit's validation hook even before it is mounted (tests of a router alone).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
