// The reference of the /healthz line: a bare Hono app on @hono/node-server answering "hello", with
// none of kit's middleware. hono and the server come from the events service's own dependencies,
// so both sides run the same versions. Listens on HOST:PORT from the runner.
import { createRequire } from 'node:module';

const fromEvents = createRequire(new URL('../../services/events/package.json', import.meta.url));
const load = <T>(name: string): Promise<T> => import(fromEvents.resolve(name));
const { Hono } = await load<typeof import('hono')>('hono');
const { serve } = await load<typeof import('@hono/node-server')>('@hono/node-server');

const app = new Hono();
app.get('/healthz', (c) => c.text('hello'));
const server = serve({ fetch: app.fetch, hostname: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT) });
process.once('SIGTERM', () => server.close(() => process.exit(0)));
