import type { AuthUser, Logger } from '@convene/kit';
import type { HttpBindings } from '@hono/node-server';
import type { RouteRule } from '../domain/route-table.ts';

/** What the gateway's Hono context carries: the Node request/response and what the edge learnt. */
export type GatewayEnv = {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    logger: Logger;
    user: AuthUser | undefined;
    /** The client's address (see TRUSTED_PROXY_HOPS). */
    clientIp: string;
    /** Set for proxied requests: the rule that matched and the path the service gets. */
    route: { rule: RouteRule; path: string } | undefined;
    /** The status a proxied answer went out with (the Hono response is only a "sent" marker then). */
    sentStatus: number | undefined;
    /** The largest body this request may have (the route's limit). */
    bodyLimitBytes: number;
  };
};
