// Reference line of the gateway benchmark: the bare technique the gateway is built on (Hono on
// @hono/node-server, an undici Pool.stream() piping into c.env.outgoing, RESPONSE_ALREADY_SENT)
// with none of the edge features. The gap between this and the gateway is what the edge costs.
import { createRequire } from 'node:module';

const fromGateway = createRequire(new URL('../../services/gateway/package.json', import.meta.url));
const load = <T>(name: string): Promise<T> => import(fromGateway.resolve(name));
const { Hono } = await load<typeof import('hono')>('hono');
const { serve } = await load<typeof import('@hono/node-server')>('@hono/node-server');
const { RESPONSE_ALREADY_SENT } = await load<typeof import('@hono/node-server/utils/response')>(
  '@hono/node-server/utils/response',
);
const { Pool } = await load<typeof import('undici')>('undici');
const pool = new Pool(String(process.env.EVENTS_URL), { connections: 128, keepAliveTimeout: 4_000 });
const app = new Hono<{ Bindings: import('@hono/node-server').HttpBindings }>();
app.all('*', async (c) => {
  const { incoming, outgoing } = c.env;
  await pool.stream(
    { path: incoming.url ?? '/', method: 'GET', opaque: outgoing },
    ({ statusCode, headers, opaque }) => {
      delete headers.connection;
      delete headers['keep-alive'];
      delete headers['transfer-encoding'];
      const response = opaque as typeof outgoing;
      response.writeHead(statusCode, headers);
      return response;
    },
  );
  return RESPONSE_ALREADY_SENT;
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.send?.({ port: info.port }));
