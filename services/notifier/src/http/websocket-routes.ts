import { type AppEnv, type AuthUser, createRouter, type OpenAPIHono, unauthorized } from '@convene/kit';
import { upgradeWebSocket } from '@hono/node-server';
import { unreadCount } from '../flows/manage-inbox.ts';
import type { HttpDeps } from './deps.ts';

/** The subprotocol a browser offers next to `bearer.<jwt>` (browsers cannot set headers on a WebSocket). */
export const WS_PROTOCOL = 'convene.v1';
const BEARER_PREFIX = 'bearer.';

/** A browser's token in `Sec-WebSocket-Protocol: convene.v1, bearer.<jwt>` (never in the URL, which gets logged). */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const value = part.trim();
    if (value.startsWith(BEARER_PREFIX) && value.length > BEARER_PREFIX.length)
      return value.slice(BEARER_PREFIX.length);
  }
  return undefined;
}

/**
 * GET /api/notifications/ws: a signed-in user's live notices. The token comes from the
 * Authorization header or access_token cookie (kit's authenticate, already run) or the
 * subprotocol. On open the socket gets `{type: 'ready', data: {unread_count}}`; then every new
 * inbox entry as `{type: 'notification', data: <notification>}`, from whichever replica made it.
 */
export function websocketRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.get(
    '/api/notifications/ws',
    async function authenticateSocket(c, next) {
      let user = c.get('user') as AuthUser | undefined;
      if (!user) {
        const token = tokenFromProtocols(c.req.header('sec-websocket-protocol'));
        if (!token) throw unauthorized('Sign in to receive notifications.');
        user = await deps.verifier.verify(token);
        c.set('user', user);
      }
      await next();
    },
    upgradeWebSocket((c) => {
      const user = c.get('user') as AuthUser;
      let remove: (() => void) | undefined;
      let ping: NodeJS.Timeout | undefined;
      return {
        async onOpen(_event, ws) {
          remove = deps.sockets.add(user.id, ws);
          // Proxies close idle connections; a ping every 30 s keeps the tunnel through the gateway open.
          const raw = ws.raw as { ping?: () => void } | undefined;
          ping = setInterval(() => raw?.ping?.(), 30_000);
          ping.unref();
          ws.send(JSON.stringify({ type: 'ready', data: { unread_count: await unreadCount(deps.flows, user.id) } }));
        },
        onClose() {
          clearInterval(ping);
          remove?.();
        },
        onError() {
          clearInterval(ping);
          remove?.();
        },
      };
    }),
  );
  return app;
}
