import { defaultContactEmail } from '@convene/domain-kit';
import {
  authenticate,
  createLogger,
  type ServiceOptions as KitServiceOptions,
  openService,
  serviceVerifier,
} from '@convene/kit';
import { WebSocketServer } from 'ws';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import type { FlowContext } from './flows/context.ts';
import { deliverDueEmails, type SenderDeps, sendAtOnce } from './flows/deliver-due-emails.ts';
import { deliveriesRoutes } from './http/deliveries-routes.ts';
import type { HttpDeps } from './http/deps.ts';
import { inboxRoutes } from './http/inbox-routes.ts';
import { preferencesRoutes } from './http/preferences-routes.ts';
import { notificationView } from './http/views.ts';
import { WS_PROTOCOL, websocketRoutes } from './http/websocket-routes.ts';
import { sendDueEmails } from './jobs/send-due-emails.ts';
import { type Mailer, smtpMailer } from './mail/mailer.ts';
import { startBroadcaster } from './realtime/broadcaster.ts';
import { Sockets } from './realtime/sockets.ts';
import type { NotificationDoc } from './store/notification-model.ts';
import { createStore, ensureIndexes } from './store/store.ts';
import { createRenderer } from './templates/renderer.ts';

export interface ServiceOptions extends KitServiceOptions {
  /** Send with this instead of SMTP (unit tests). */
  mailer?: Mailer;
}

export type NotifierService = Awaited<ReturnType<typeof createService>>;

/**
 * The notifier: its database and the bus (kit's openService), the templates (compiled now), the
 * consumers that turn domain events into deliveries and inbox entries, the sender that mails the
 * deliveries, the real-time broadcast between replicas, and the HTTP + WebSocket API.
 */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'notifier', level: env.LOG_LEVEL });
  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, '');
  const renderer = createRenderer();
  const sockets = new Sockets();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  const runtime = { service: 'notifier', env, logger, now: opts.now ?? (() => new Date()), websocket: { server: wss } };
  return openService(runtime, async ({ mongo, bus, app, now, job, subscribe, settleOnStop, metrics }) => {
    const store = createStore(mongo);
    await ensureIndexes(store);
    const verifier = serviceVerifier(env, opts.verifier);

    const broadcaster = await startBroadcaster({
      bus,
      namespace: env.BUS_NAMESPACE,
      logger,
      deliver: (payload) => {
        const notice = payload as { user_id?: string; notification?: unknown };
        if (typeof notice.user_id === 'string') {
          sockets.sendTo(notice.user_id, { type: 'notification', data: notice.notification });
        }
      },
    });
    settleOnStop(() => broadcaster.close());

    const mailer =
      opts.mailer ??
      smtpMailer({
        host: env.SMTP_HOST,
        port: env.SMTP_PORT,
        secure: env.SMTP_SECURE,
        ...(env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? '' } : {}),
        pool: env.SMTP_POOL,
        maxConnections: env.SMTP_MAX_CONNECTIONS,
        timeoutMs: env.SMTP_TIMEOUT_MS,
      });

    const emails = metrics.counter(
      'convene_notifier_emails_total',
      'Email delivery attempts by outcome: sent, retried (a transient failure), failed (refused), dead (out of attempts).',
      ['outcome'],
    );
    metrics.scraped({
      name: 'convene_notifier_websocket_connections',
      help: 'WebSocket connections open on this replica.',
      read: async () => sockets.size,
    });

    const contactEmail = env.CALENDAR_ORGANIZER_EMAIL ?? defaultContactEmail(env.PUBLIC_URL);
    const senderDeps: SenderDeps = {
      store,
      mailer,
      compose: {
        renderer,
        from: env.MAIL_FROM,
        publicUrl,
        unsubscribeSecret: env.UNSUBSCRIBE_SECRET,
        contactEmail,
        now,
      },
      retry: { delaysMs: env.SEND_RETRY_DELAYS_MS, maxAttempts: env.SEND_MAX_ATTEMPTS },
      now,
      logger,
      batch: env.SEND_BATCH,
      concurrency: env.SEND_CONCURRENCY,
      leaseMs: env.SEND_LEASE_MS,
      countOutcome: (outcome) => emails.inc({ outcome }),
    };
    const sender = job(
      sendDueEmails({
        run: () => deliverDueEmails(senderDeps),
        intervalMs: env.SEND_INTERVAL_MS,
        enabled: env.JOBS_ENABLED,
        logger,
      }),
    );
    const atOnce = sendAtOnce({ ...senderDeps, maxWaiting: env.SEND_BATCH * 20 });
    // After the jobs (the sender among them) stopped: the pool closes once nothing is sending.
    settleOnStop(async () => {
      await atOnce.stop();
      mailer.close();
    });

    const flows: FlowContext = {
      store,
      contactEmail,
      renderer,
      now,
      logger,
      publicUrl,
      fanoutBatch: env.FANOUT_BATCH,
      nudgeSender: () => sender.nudge(),
      ...(env.JOBS_ENABLED ? { sendAtOnce: atOnce } : {}),
      announce: (entries: NotificationDoc[]) => {
        for (const entry of entries)
          broadcaster.publish({ user_id: entry.user_id, notification: notificationView(entry) });
      },
      ...(env.INVITATION_LINK_KEY ? { invitationLinkKey: Buffer.from(env.INVITATION_LINK_KEY, 'base64') } : {}),
    };

    app.use('/api/*', authenticate({ verifier, optional: true }));
    const http: HttpDeps = { flows, unsubscribeSecret: env.UNSUBSCRIBE_SECRET, verifier, sockets };
    app.route('/', websocketRoutes(http));
    app.route('/', deliveriesRoutes(http));
    app.route('/', preferencesRoutes(http));
    app.route('/', inboxRoutes(http));

    if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, { flows });
    return { store, flows, sender, sockets, renderer, broadcaster };
  });
}
