// The kit side of `bench/hot-paths/healthz.ts`: createApp with mountHealth and nothing else, the
// logger at warn as in the services' benchmark runs. Listens on HOST:PORT from the runner.
import { createApp, createLogger, mountHealth, serve } from '../../packages/kit/src/index.ts';

const logger = createLogger({ service: 'bench', level: process.env.LOG_LEVEL ?? 'warn' });
const app = createApp({ service: 'bench', logger });
mountHealth(app);
const server = await serve(app, { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT) });
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
