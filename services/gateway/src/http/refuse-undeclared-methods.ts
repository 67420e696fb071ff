import { methodNotAllowed } from '@convene/kit';
import type { MiddlewareHandler } from 'hono';
import type { OpenApiCatalog } from '../openapi/openapi-catalog.ts';
import type { GatewayEnv } from './gateway-env.ts';

/**
 * A path the merged document lists, asked with a method it does not list, is 405 with `Allow`
 * here, whichever service (or the gateway itself) owns the path: clients generated from the
 * document learn the method is wrong, not that the resource is missing. Paths the document does
 * not list go on as before (a 404 wherever no route takes them).
 */
export function refuseUndeclaredMethods({ catalog }: { catalog: OpenApiCatalog }): MiddlewareHandler<GatewayEnv> {
  return async function refuseUndeclaredMethod(c, next) {
    const allowed = (await catalog.allowedMethods()).of(c.req.path);
    if (allowed && !allowed.includes(c.req.method)) throw methodNotAllowed(c.req.method, allowed);
    await next();
  };
}
