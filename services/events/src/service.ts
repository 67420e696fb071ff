import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Bus, type OutboxRelay, type Subscription, startOutboxRelay } from '@convene/bus';
import {
  authenticate,
  connectMongo,
  createApp,
  createLogger,
  createVerifier,
  type Logger,
  mongoReady,
  mountHealth,
  type RunningServer,
  serve,
  type Verifier,
} from '@convene/kit';
import type { ConsumerDeps } from './consumers/deps.ts';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import type { HttpDeps } from './http/deps.ts';
import { eventsRoutes } from './http/events-routes.ts';
import { myRegistrationsRoutes } from './http/my-registrations-routes.ts';
import { participantsRoutes } from './http/participants-routes.ts';
import { registrationRoutes } from './http/registration-routes.ts';
import { cleanupOldEvents } from './jobs/cleanup-old-events.ts';
import { every, type Job } from './jobs/every.ts';
import { recoverStaleRegistrations } from './jobs/recover-stale-registrations.ts';
import { runWaitlist } from './jobs/run-waitlist.ts';
import { sendReminders } from './jobs/send-reminders.ts';
import type { MoveContext } from './store/registration-moves.ts';
import { createStore, ensureIndexes } from './store/store.ts';

export interface ServiceOptions {
  logger?: Logger;
  /** Verify tokens with this instead of fetching AUTH_JWKS_URL. */
  verifier?: Verifier;
  /** The service's clock (tests move it). */
  now?: () => Date;
}

export type EventsService = Awaited<ReturnType<typeof createService>>;

/**
 * Connects the events database and the bus, mounts the routes, starts the outbox relay, the
 * consumers and the jobs. `start()` listens on HOST:PORT; `stop()` undoes everything in order.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'events', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  const mongo = await connectMongo(env.MONGO_URL, { logger });
  const store = createStore(mongo);
  await ensureIndexes(store);

  const bus = await Bus.connect({
    url: env.AMQP_URL,
    service: 'events',
    logger,
    ...(env.BUS_NAMESPACE ? { namespace: env.BUS_NAMESPACE } : {}),
  });
  const relay: OutboxRelay = startOutboxRelay({
    bus,
    models: [store.events, store.registrations],
    logger,
    pollMs: 1000,
  });
  const nudge = () => relay.nudge();

  const moves: MoveContext = { store, now, defaultOfferWindowMs: env.OFFER_WINDOW };
  const verifier =
    opts.verifier ??
    createVerifier({ jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });

  const app = createApp({ service: 'events', logger, title: 'Convene events' });
  mountHealth(app, { checks: { mongo: () => mongoReady(mongo), bus: () => bus.isReady() } });
  app.use('/api/*', authenticate({ verifier, optional: true }));
  const http: HttpDeps = {
    store,
    moves,
    quota: { limit: env.EVENT_CREATE_LIMIT, windowMs: env.EVENT_CREATE_WINDOW },
    defaultDurationMs: env.DEFAULT_EVENT_DURATION,
    nudge,
    now,
  };
  app.route('/', eventsRoutes(http));
  app.route('/', registrationRoutes(http));
  app.route('/', participantsRoutes(http));
  app.route('/', myRegistrationsRoutes(http));

  const consumerDeps: ConsumerDeps = { moves, nudge };
  const subscriptions: Subscription[] = env.CONSUMERS_ENABLED ? await subscribeAll(bus, consumerDeps) : [];

  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const jobs: Record<'recovery' | 'waitlist' | 'reminders' | 'cleanup', Job> = {
    // First recovery right after boot: whatever a crash of this (or another) replica left behind.
    recovery: every({
      name: 'recovery',
      intervalMs: env.RECOVERY_INTERVAL,
      initialDelayMs: 0,
      enabled: env.JOBS_ENABLED,
      logger,
      run: () => recoverStaleRegistrations(moves, { txnTimeoutMs: env.TXN_TIMEOUT }).finally(nudge),
    }),
    waitlist: every({
      name: 'waitlist',
      intervalMs: env.WAITLIST_INTERVAL,
      enabled: env.JOBS_ENABLED,
      logger,
      run: () => runWaitlist(moves).finally(nudge),
    }),
    reminders: every({
      name: 'reminders',
      intervalMs: env.REMINDER_INTERVAL,
      enabled: env.JOBS_ENABLED,
      logger,
      run: () => sendReminders(store, { leadMs: env.REMINDER_LEAD, now: now() }).finally(nudge),
    }),
    // Ticks often, runs once per CLEANUP_INTERVAL across all replicas (lease with last_run_at).
    cleanup: every({
      name: 'cleanup',
      intervalMs: Math.min(env.CLEANUP_INTERVAL, 15 * 60_000),
      initialDelayMs: 60_000,
      enabled: env.JOBS_ENABLED,
      logger,
      run: () =>
        cleanupOldEvents(store, {
          olderThanMs: env.CLEANUP_OLDER_THAN,
          minIntervalMs: env.CLEANUP_INTERVAL,
          holder,
          now: now(),
        }),
    }),
  };

  let server: RunningServer | undefined;
  let stopped = false;

  return {
    app,
    store,
    bus,
    relay,
    jobs,
    moves,
    logger,
    async start(): Promise<{ port: number; url: string }> {
      server = await serve(app, { host: env.HOST, port: env.PORT });
      logger.info({ url: server.url }, 'events service listening');
      return { port: server.port, url: server.url };
    },
    /** Graceful: stop HTTP, consumers and jobs, flush the outbox, close connections. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await server?.close();
      await Promise.all(subscriptions.map((s) => s.cancel()));
      await Promise.all(Object.values(jobs).map((job) => job.stop()));
      await relay.drain().catch((err) => logger.warn({ err }, 'outbox flush on shutdown failed'));
      await relay.stop();
      await bus.close();
      await mongo.close();
    },
  };
}
