import { pruneProcessedMessages } from '@convene/bus';
import {
  authenticate,
  createLogger,
  createVerifier,
  every,
  type Logger,
  openService,
  type Verifier,
} from '@convene/kit';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import type { FlowContext } from './flows/context.ts';
import { finishUnsettledChanges } from './flows/finish-unsettled-changes.ts';
import { feedbackRoutes } from './http/feedback-routes.ts';
import { createStore, ensureIndexes } from './store/store.ts';
import { eventsClient } from './upstream/events-client.ts';

export interface ServiceOptions {
  logger?: Logger;
  /** Verify tokens with this instead of fetching AUTH_JWKS_URL. */
  verifier?: Verifier;
  /** The service's clock (tests move it). */
  now?: () => Date;
}

export type FeedbackService = Awaited<ReturnType<typeof createService>>;

/**
 * The feedback database and the bus (kit's openService), the routes, the outbox relay, the
 * projection consumers and the recovery sweep. `start()` listens on HOST:PORT; `stop()` undoes all.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'feedback', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  return openService(
    { service: 'feedback', env, logger },
    async ({ mongo, bus, app, relay: startRelay, job, consumer }) => {
      const store = createStore(mongo);
      await ensureIndexes(store);
      const relay = startRelay({ models: [store.feedback], pollMs: env.OUTBOX_POLL_MS, now });

      const flows: FlowContext = {
        store,
        events: eventsClient({ baseUrl: env.EVENTS_URL, timeoutMs: env.EVENTS_TIMEOUT_MS }),
        policy: { opensAt: env.FEEDBACK_OPENS_AT, windowMs: env.FEEDBACK_WINDOW_MS },
        commentMaxLength: env.COMMENT_MAX_LENGTH,
        now,
        nudge: () => relay.nudge(),
        logger,
      };

      const verifier =
        opts.verifier ??
        createVerifier({ jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });
      app.use('/api/*', authenticate({ verifier, optional: true }));
      app.route('/', feedbackRoutes({ flows }));

      if (env.CONSUMERS_ENABLED) {
        for (const subscription of await subscribeAll(bus, { store })) consumer(subscription);
      }

      const jobs = {
        // Right after boot too: whatever a crash of this (or another) replica left half-done.
        recovery: job(
          every({
            name: 'settle-summaries',
            intervalMs: env.RECOVERY_INTERVAL_MS,
            initialDelayMs: 0,
            enabled: env.JOBS_ENABLED,
            logger,
            run: () => finishUnsettledChanges(flows, { olderThanMs: env.SUMMARY_SETTLE_AFTER_MS }),
          }),
        ),
        prune: job(
          every({
            name: 'prune-processed-messages',
            intervalMs: 24 * 3_600_000,
            initialDelayMs: 60_000,
            enabled: env.JOBS_ENABLED,
            logger,
            run: () => pruneProcessedMessages(mongo, new Date(now().getTime() - env.PROCESSED_RETENTION_MS)),
          }),
        ),
      };

      return { store, relay, jobs, flows };
    },
  );
}
