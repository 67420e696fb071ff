import type { RunningServer } from '@convene/kit';
import {
  authenticate,
  createLogger,
  type ServiceOptions as KitServiceOptions,
  openService,
  serve,
  serviceVerifier,
} from '@convene/kit';
import { WebSocketServer } from 'ws';
import { subscribeAll } from './consumers/subscriptions.ts';
import type { Env } from './env.ts';
import { deliverDueEmails, type SenderDeps, sendAtOnce } from './flows/deliver-due-emails.ts';
import type { FlowDeps } from './flows/deps.ts';
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

  const runtime = { service: 'notifier', env, logger, now: opts.now ?? (() => new Date()) };
  const opened = await openService(runtime, async ({ mongo, bus, app, now, job, subscribe }) => {
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
    job({ name: 'broadcaster', runNow: async () => {}, stop: () => broadcaster.close() });

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

    const senderDeps: SenderDeps = {
      store,
      mailer,
      compose: { renderer, from: env.MAIL_FROM, publicUrl, unsubscribeSecret: env.UNSUBSCRIBE_SECRET, now },
      retry: { delaysMs: env.SEND_RETRY_DELAYS_MS, maxAttempts: env.SEND_MAX_ATTEMPTS },
      now,
      logger,
      batch: env.SEND_BATCH,
      concurrency: env.SEND_CONCURRENCY,
      leaseMs: env.SEND_LEASE_MS,
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
    // Runs after the sender (jobs stop together; the pool closes once nothing is sending).
    job({
      name: 'mailer',
      runNow: async () => {},
      stop: async () => {
        await Promise.all([sender.stop(), atOnce.stop()]);
        mailer.close();
      },
    });

    const flows: FlowDeps = {
      store,
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
    const http: HttpDeps = { store, now, unsubscribeSecret: env.UNSUBSCRIBE_SECRET, verifier, sockets };
    app.route('/', websocketRoutes(http));
    app.route('/', deliveriesRoutes(http));
    app.route('/', preferencesRoutes(http));
    app.route('/', inboxRoutes(http));

    if (env.CONSUMERS_ENABLED) await subscribeAll(subscribe, flows);
    return { store, flows, sender, sockets, renderer, broadcaster };
  });

  // kit's start() does not take a WebSocket server, so the notifier listens itself (same serve).
  let server: RunningServer | undefined;
  return {
    ...opened,
    async start() {
      server = await serve(opened.app, { host: env.HOST, port: env.PORT, websocket: { server: wss } });
      logger.info({ url: server.url }, 'notifier listening');
      return { port: server.port, url: server.url };
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await server?.close();
      await opened.stop();
    },
  };
}
