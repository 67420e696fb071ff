import { authenticate, createLogger, every, openService, type ServiceOptions, serviceVerifier } from '@convene/kit';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import type { FlowContext } from './flows/context.ts';
import { finishUnsettledChanges } from './flows/finish-unsettled-changes.ts';
import { feedbackRoutes } from './http/feedback-routes.ts';
import { createStore, ensureIndexes } from './store/store.ts';
import { eventsClient } from './upstream/events-client.ts';

export type { ServiceOptions };

export type FeedbackService = Awaited<ReturnType<typeof createService>>;

/**
 * The feedback database and the bus (kit's openService), the routes, the outbox relay, the
 * projection consumers and the recovery sweep. `start()` listens on HOST:PORT; `stop()` undoes all.
 * openService nudges the relay after each successful write request, handled message and job run,
 * so nothing here nudges it by hand.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'feedback', level: env.LOG_LEVEL });

  return openService(
    { service: 'feedback', env, logger, now: opts.now ?? (() => new Date()) },
    async ({ mongo, app, now, relay: startRelay, job, subscribe }) => {
      const store = createStore(mongo);
      await ensureIndexes(store);
      const relay = startRelay({ models: [store.feedback], pollMs: env.OUTBOX_POLL_MS });

      const flows: FlowContext = {
        store,
        events: eventsClient({ baseUrl: env.EVENTS_URL, timeoutMs: env.EVENTS_TIMEOUT_MS }),
        policy: { opensAt: env.FEEDBACK_OPENS_AT, windowMs: env.FEEDBACK_WINDOW_MS },
        commentMaxLength: env.COMMENT_MAX_LENGTH,
        now,
        logger,
      };

      const verifier = serviceVerifier(env, opts.verifier);
      app.use('/api/*', authenticate({ verifier, optional: true }));
      app.route('/', feedbackRoutes({ flows }));

      if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, { flows });

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
      };

      return { store, relay, jobs, flows };
    },
  );
}
