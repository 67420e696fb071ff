import { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthUser } from '../auth/user.ts';
import type { Logger } from '../logging/create-logger.ts';
import { accessLog } from './access-log.ts';
import { checkBody } from './check-body.ts';
import { completeDocument } from './complete-document.ts';
import { handleErrors, handleNotFound } from './handle-errors.ts';
import { type AllowedMethods, allowedMethods } from './method-not-allowed.ts';
import { requestIds } from './request-id.ts';
import { secureHeaders } from './secure-headers.ts';
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
  /** Largest request body accepted; 1 MiB (the gateway's BODY_LIMIT_BYTES default). */
  bodyLimitBytes?: number;
  /**
   * Routes that take a larger body (CSV import), `'METHOD /path/:param'` → bytes. The gateway must
   * let no more than this through to them (its IMPORT_BODY_LIMIT_BYTES).
   */
  largeBodyRoutes?: Record<string, number>;
}

/** The body limit of every kit app unless it says otherwise. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The Hono app every service starts from: request ids, access log, trace span, secure headers,
 * a body limit and strict UTF-8 for text bodies (see check-body.ts), paths with or without a trailing slash, problem+json for every error (malformed
 * JSON, failed validation, unknown fields of strict schemas, 404s, crashes), 405 with `Allow` for a
 * routed path asked with a method it lacks, and the service's OpenAPI 3.1 document at GET /openapi.json.
 */
export function createApp({
  service,
  logger,
  title = `Convene ${service}`,
  version = '0.1.0',
  bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES,
  largeBodyRoutes = {},
}: CreateAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });

  app.use(requestIds());
  app.use(traceRequests({ service }));
  app.use(accessLog({ logger }));
  app.use(secureHeaders());
  app.use(checkBody({ maxBytes: bodyLimitBytes, largeBodyRoutes }));
  app.onError(handleErrors({ logger }));
  app.notFound(handleNotFound(routedMethods(app)));

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
  app.get('/openapi.json', (c) =>
    c.json(completeDocument(app.getOpenAPI31Document({ openapi: '3.1.0', info: { title, version } }))),
  );
  return app;
}

/** The methods each routed path answers, rebuilt when routes were added since it was last asked. */
function routedMethods(app: OpenAPIHono<AppEnv>): () => AllowedMethods {
  let built: { count: number; methods: AllowedMethods } | undefined;
  return () => {
    if (built?.count !== app.routes.length) {
      // Middleware is registered as ALL; `*` paths are catch-alls, not resources.
      const routes = app.routes.filter((route) => route.method !== 'ALL' && !route.path.includes('*'));
      built = { count: app.routes.length, methods: allowedMethods(routes) };
    }
    return built.methods;
  };
}

/**
 * A sub-app for one resource, mounted with `app.route('/api/events', router)`. It shares the
 * kit's validation hook even before it is mounted (tests of a router alone).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
