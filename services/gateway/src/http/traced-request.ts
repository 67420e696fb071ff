import type { TracedRequest } from '@convene/kit';
import type { Context } from 'hono';
import type { GatewayEnv } from './gateway-env.ts';
import { loggablePath } from './observe-requests.ts';

/**
 * The gateway's server span: named by the route table's rule (the gateway's Hono routes are a
 * catch-all), the path masked as in the access log, the status the client really got.
 */
export function tracedRequest(c: Context): TracedRequest {
  const gateway = c as Context<GatewayEnv>;
  let route = gateway.get('route')?.rule.path;
  if (!route) {
    const routePath = c.req.routePath;
    route = routePath && !routePath.endsWith('*') ? routePath : undefined;
  }
  return { route, path: loggablePath(gateway), status: gateway.get('sentStatus') ?? c.res.status };
}
