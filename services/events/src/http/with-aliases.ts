import { type AppEnv, createRoute, type OpenAPIHono } from '@convene/kit';
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';

export interface Alias {
  path: string;
  method?: RouteConfig['method'];
  /** Where the alias comes from ("seed 003"), for the OpenAPI summary. */
  origin: string;
}

/** Serves `route` at its canonical path and at each alias (listed as deprecated operations). */
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
    app.openapi(aliasRoute, handler as never);
  }
}
