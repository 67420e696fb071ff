import { authenticate, createLogger, openService, type ServiceOptions, serviceVerifier } from '@convene/kit';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import { flowContext } from './flows/context.ts';
import type { HttpDeps } from './http/deps.ts';
import { managementRoutes } from './http/management-routes.ts';
import { myInvitationsRoutes } from './http/my-invitations-routes.ts';
import { publicRoutes } from './http/public-routes.ts';
import { reportRoutes } from './http/report-routes.ts';
import { sendRoutes } from './http/send-routes.ts';
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
      const flows = flowContext(store, env, { now, logger });
      const deps: HttpDeps = { flows };

      const verifier = serviceVerifier(env, opts.verifier);
      app.use('/api/*', authenticate({ verifier, optional: true }));
      app.route('/', publicRoutes(deps));
      app.route('/', myInvitationsRoutes(deps));
      app.route('/', sendRoutes(deps));
      // Before the one-invitation routes: /stats is not an invitation id.
      app.route('/', reportRoutes(deps));
      app.route('/', managementRoutes(deps));

      // parts.subscribe: markers kept by the bus, consumers cancelled on stop(), the relay nudged after each handler.
      if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, { flows });

      const jobs = sweepers(flows, {
        expiryIntervalMs: env.EXPIRY_INTERVAL_MS,
        reminderIntervalMs: env.REMINDER_INTERVAL_MS,
        enabled: env.JOBS_ENABLED,
        logger,
      });
      job(jobs.expiry);
      job(jobs.reminders);

      return { store, relay, jobs, flows };
    },
  );
}
