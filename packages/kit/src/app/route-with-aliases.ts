import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './create-app.ts';

export interface Alias {
  path: string;
  method?: RouteConfig['method'];
  /** Which contract the alias keeps, for the OpenAPI summary (e.g. "the legacy invitation API"). */
  origin: string;
}

/**
 * Serves `route` at its canonical path and at each alias. Aliases are listed in the OpenAPI
 * document as deprecated operations pointing at the canonical one.
 */
export function routeWithAliases<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  handler: RouteHandler<R, AppEnv>,
  aliases: Alias[] = [],
): void {
  app.openapi(route, handler);
  for (const [index, alias] of aliases.entries()) {
    const method = alias.method ?? route.method;
    const aliasRoute = createRoute({
      ...route,
      method,
      path: alias.path,
      deprecated: true,
      summary: `Alias of ${route.method.toUpperCase()} ${route.path} (${alias.origin})`,
      ...(route.operationId ? { operationId: `${route.operationId}Alias${index + 1}` } : {}),
    });
    // Same inputs and outputs under another path: the handler fits, the path literal differs.
    app.openapi(aliasRoute, handler as never);
  }
}
