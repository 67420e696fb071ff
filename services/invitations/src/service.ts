import { sealingKey } from '@convene/contracts';
import { authenticate, createLogger, openService, type ServiceOptions, serviceVerifier } from '@convene/kit';
import { eventDirectory } from './clients/event-directory.ts';
import { userDirectory } from './clients/user-directory.ts';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import type { FlowContext } from './flows/context.ts';
import { managementRoutes } from './http/management-routes.ts';
import { myInvitationsRoutes } from './http/my-invitations-routes.ts';
import { publicRoutes } from './http/public-routes.ts';
import { sweepers } from './jobs/sweep-invitations.ts';
import { createStore, ensureIndexes } from './store/store.ts';

export type { ServiceOptions };

export type InvitationsService = Awaited<ReturnType<typeof createService>>;

/**
 * The invitations database and the bus (kit's openService), the routes, the outbox relay, the
 * consumers (event projection, reservation answers) and the sweepers (expiry, reminders). The
 * relay is nudged by openService after every write request, handled message and sweep.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'invitations', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  return openService(
    {
      service: 'invitations',
      env,
      logger,
      now,
      largeBodyRoutes: { 'POST /api/events/:id/invitations/import': env.IMPORT_BODY_LIMIT_BYTES },
    },
    async ({ mongo, app, relay: startRelay, job, subscribe }) => {
      const store = createStore(mongo);
      await ensureIndexes(store);
      const relay = startRelay({ models: [store.invitations], pollMs: env.OUTBOX_POLL_MS });
      const timeoutMs = env.INTERNAL_READ_TIMEOUT_MS;

      const ctx: FlowContext = {
        store,
        now,
        events: eventDirectory(store, { eventsUrl: env.EVENTS_URL, timeoutMs, now }),
        users: userDirectory({ authUrl: env.AUTH_URL, timeoutMs }),
        linkKey: sealingKey(env.INVITATION_LINK_KEY),
        publicUrl: env.PUBLIC_URL,
        policy: {
          ttlMs: env.INVITATION_TTL_MS,
          maxResends: env.MAX_RESENDS,
          reminderLeadMs: env.REMINDER_LEAD_MS,
          missesPerWindow: env.TOKEN_MISSES_PER_WINDOW,
          missWindowMs: env.TOKEN_MISS_WINDOW_MS,
          importMaxRows: env.IMPORT_MAX_ROWS,
          importBatchSize: env.IMPORT_BATCH_SIZE,
        },
        logger,
      };

      const verifier = serviceVerifier(env, opts.verifier);
      app.use('/api/*', authenticate({ verifier, optional: true }));
      app.route('/', publicRoutes(ctx));
      app.route('/', myInvitationsRoutes(ctx));
      app.route('/', managementRoutes(ctx));

      // parts.subscribe: markers kept by the bus, consumers cancelled on stop(), the relay nudged after each handler.
      if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, ctx);

      const jobs = sweepers(ctx, {
        expiryIntervalMs: env.EXPIRY_INTERVAL_MS,
        reminderIntervalMs: env.REMINDER_INTERVAL_MS,
        enabled: env.JOBS_ENABLED,
        logger,
      });
      job(jobs.expiry);
      job(jobs.reminders);

      return { store, relay, jobs, ctx };
    },
  );
}
