import {
  authenticate,
  createLogger,
  instanceId,
  openService,
  type ServiceOptions,
  serviceVerifier,
} from '@convene/kit';
import { subscribeAll } from './consumers/subscriptions.ts';
import { defaultContactEmail } from './domain/calendar.ts';
import type { Env } from './env.ts';
import { createFlowContext } from './flows/context.ts';
import type { HttpDeps } from './http/deps.ts';
import { eventsRoutes } from './http/events-routes.ts';
import { internalRoutes } from './http/internal-routes.ts';
import { myRegistrationsRoutes } from './http/my-registrations-routes.ts';
import { participantsRoutes } from './http/participants-routes.ts';
import { registrationRoutes } from './http/registration-routes.ts';
import { scheduledJobs } from './jobs/scheduled-jobs.ts';
import { countMovesInFlight } from './store/moves-in-flight.ts';
import { createStore, ensureIndexes } from './store/store.ts';

export type { ServiceOptions };

export type EventsService = Awaited<ReturnType<typeof createService>>;

/**
 * The events database and the bus (kit's openService), the routes, the outbox relay, the consumers
 * and the jobs. `start()` listens on HOST:PORT; `stop()` undoes everything in order.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'events', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  return openService(
    { service: 'events', env, logger, now },
    async ({ mongo, app, relay: startRelay, job, subscribe, settleOnStop, metrics }) => {
      const store = createStore(mongo, { now, defaultTimeZone: env.DEFAULT_EVENT_TIMEZONE });
      await ensureIndexes(store);
      metrics.scraped({
        name: 'convene_events_seat_moves_in_flight',
        help: 'Seat moves begun and not yet finished or undone, on every replica (a crash leaves them for recovery).',
        read: () => countMovesInFlight(store),
      });
      // openService nudges it after every write request, handled message and job run. Exclusive:
      // the replica holding a collection's lease (`outbox_relays`) publishes whole batches without
      // claiming each document; the others publish nothing until it lapses (a dead replica).
      const relay = startRelay({
        models: [store.events, store.registrations],
        pollMs: 1000,
        exclusive: true,
        leaseMs: env.OUTBOX_LEASE_MS,
      });

      const flows = createFlowContext(store, {
        now,
        logger,
        quota: { limit: env.EVENT_CREATE_LIMIT, windowMs: env.EVENT_CREATE_WINDOW_MS },
        defaultDurationMs: env.DEFAULT_EVENT_DURATION_MS,
        defaultOfferWindowMs: env.OFFER_WINDOW_MS,
      });
      const verifier = serviceVerifier(env, opts.verifier);

      app.use('/api/*', authenticate({ verifier, optional: true }));
      const http: HttpDeps = {
        flows,
        calendarContactEmail: env.CALENDAR_ORGANIZER_EMAIL ?? defaultContactEmail(env.PUBLIC_URL),
      };
      app.route('/', eventsRoutes(http));
      app.route('/', registrationRoutes(http));
      app.route('/', participantsRoutes(http));
      app.route('/', myRegistrationsRoutes(http));
      app.route('/', internalRoutes(http));

      if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, { flows });

      const scheduled = scheduledJobs(flows, {
        enabled: env.JOBS_ENABLED,
        logger,
        holder: instanceId(),
        recoveryIntervalMs: env.RECOVERY_INTERVAL_MS,
        txnTimeoutMs: env.TXN_TIMEOUT_MS,
        waitlistIntervalMs: env.WAITLIST_INTERVAL_MS,
        reminderIntervalMs: env.REMINDER_INTERVAL_MS,
        reminderLeadMs: env.REMINDER_LEAD_MS,
        cleanupIntervalMs: env.CLEANUP_INTERVAL_MS,
        cleanupOlderThanMs: env.CLEANUP_OLDER_THAN_MS,
      });
      const jobs = {
        recovery: job(scheduled.recovery),
        waitlist: job(scheduled.waitlist),
        reminders: job(scheduled.reminders),
        cleanup: job(scheduled.cleanup),
      };
      // Step 4 of a move runs after the answer (store/seat-moves.ts): stop() waits for the ones still
      // running, after requests, consumers and jobs have ended and before the database closes.
      settleOnStop(() => flows.moves.settled());

      return { store, relay, jobs, flows };
    },
  );
}
