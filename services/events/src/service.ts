import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  authenticate,
  createLogger,
  createVerifier,
  every,
  type Logger,
  openService,
  type Verifier,
} from '@convene/kit';
import type { ConsumerDeps } from './consumers/deps.ts';
import { subscribeAll } from './consumers/subscriptions.ts';
import { defaultContactEmail } from './domain/calendar.ts';
import type { Env } from './env.ts';
import type { HttpDeps } from './http/deps.ts';
import { eventsRoutes } from './http/events-routes.ts';
import { internalRoutes } from './http/internal-routes.ts';
import { myRegistrationsRoutes } from './http/my-registrations-routes.ts';
import { participantsRoutes } from './http/participants-routes.ts';
import { registrationRoutes } from './http/registration-routes.ts';
import { cleanupOldEvents } from './jobs/cleanup-old-events.ts';
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
 * The events database and the bus (kit's openService), the routes, the outbox relay, the consumers
 * and the jobs. `start()` listens on HOST:PORT; `stop()` undoes everything in order.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'events', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  return openService(
    { service: 'events', env, logger },
    async ({ mongo, bus, app, relay: startRelay, job, consumer }) => {
      const store = createStore(mongo);
      await ensureIndexes(store);
      const relay = startRelay({ models: [store.events, store.registrations], pollMs: 1000 });
      const nudge = () => relay.nudge();

      const moves: MoveContext = { store, now, defaultOfferWindowMs: env.OFFER_WINDOW };
      const verifier =
        opts.verifier ??
        createVerifier({ jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });

      app.use('/api/*', authenticate({ verifier, optional: true }));
      const http: HttpDeps = {
        store,
        moves,
        quota: { limit: env.EVENT_CREATE_LIMIT, windowMs: env.EVENT_CREATE_WINDOW },
        defaultDurationMs: env.DEFAULT_EVENT_DURATION,
        calendarContactEmail: env.CALENDAR_ORGANIZER_EMAIL ?? defaultContactEmail(env.PUBLIC_URL),
        nudge,
        now,
      };
      app.route('/', eventsRoutes(http));
      app.route('/', registrationRoutes(http));
      app.route('/', participantsRoutes(http));
      app.route('/', myRegistrationsRoutes(http));
      app.route('/', internalRoutes(http));

      if (env.CONSUMERS_ENABLED) {
        const consumerDeps: ConsumerDeps = { moves, nudge };
        for (const subscription of await subscribeAll(bus, consumerDeps)) consumer(subscription);
      }

      const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      const jobs = {
        // First recovery right after boot: whatever a crash of this (or another) replica left behind.
        recovery: job(
          every({
            name: 'recovery',
            intervalMs: env.RECOVERY_INTERVAL,
            initialDelayMs: 0,
            enabled: env.JOBS_ENABLED,
            logger,
            run: () => recoverStaleRegistrations(moves, { txnTimeoutMs: env.TXN_TIMEOUT }).finally(nudge),
          }),
        ),
        waitlist: job(
          every({
            name: 'waitlist',
            intervalMs: env.WAITLIST_INTERVAL,
            enabled: env.JOBS_ENABLED,
            logger,
            run: () => runWaitlist(moves).finally(nudge),
          }),
        ),
        reminders: job(
          every({
            name: 'reminders',
            intervalMs: env.REMINDER_INTERVAL,
            enabled: env.JOBS_ENABLED,
            logger,
            run: () => sendReminders(store, { leadMs: env.REMINDER_LEAD, now: now() }).finally(nudge),
          }),
        ),
        // Ticks often, runs once per CLEANUP_INTERVAL across all replicas (lease with last_run_at).
        cleanup: job(
          every({
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
        ),
      };

      return { store, relay, jobs, moves };
    },
  );
}
