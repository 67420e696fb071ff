import {
  Bus,
  type Handlers,
  type OnlyEventNames,
  type OutboxRelay,
  type OutboxRelayOptions,
  pruneProcessedMessages,
  type Subscription,
  startOutboxRelay,
} from '@convene/bus';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Connection } from 'mongoose';
import { countRequests } from '../app/count-requests.ts';
import { type AppEnv, type CreateAppOptions, createApp } from '../app/create-app.ts';
import { dependencyStates } from '../health/dependency-states.ts';
import { mongoReady } from '../health/mongo-ready.ts';
import { mountHealth } from '../health/mount-health.ts';
import { every, type Job } from '../jobs/every.ts';
import type { Logger } from '../logging/create-logger.ts';
import { outboxGauges } from '../metrics/outbox-gauges.ts';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/service-metrics.ts';
import { connectMongo } from '../mongo/connect-mongo.ts';
import { type RunningServer, type ServeOptions, serve } from '../server/serve.ts';

/** The part of a service's environment the runtime itself reads. */
export interface ServiceEnv {
  HOST: string;
  PORT: number;
  MONGO_URL: string;
  AMQP_URL: string;
  BUS_NAMESPACE?: string;
  HTTP_HEADERS_TIMEOUT_MS?: number;
  HTTP_REQUEST_TIMEOUT_MS?: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;
  /** The bus's idempotency markers older than this are pruned once a day (default 7 days). */
  PROCESSED_RETENTION_MS?: number;
  /** false turns the service's scheduled jobs off, the marker pruning among them (tests, one-off runs). */
  JOBS_ENABLED?: boolean;
}

export interface OpenServiceOptions {
  /** 'auth', 'events', ... — names the bus queues, the log lines and the OpenAPI document. */
  service: string;
  env: ServiceEnv;
  logger: Logger;
  /**
   * The service's clock, passed in once: the relays' leases, the bus markers' leases and whatever
   * the service builds on it (`parts.now`). Tests move it; production passes `() => new Date()`.
   */
  now: () => Date;
  /** OpenAPI title; defaults to "Convene <service>". */
  title?: string;
  /** Overrides env.BUS_NAMESPACE (tests isolate with it). */
  busNamespace?: string;
  /** Routes that take a larger body than the 1 MiB default (createApp's largeBodyRoutes). */
  largeBodyRoutes?: CreateAppOptions['largeBodyRoutes'];
  /**
   * A `ws` server (noServer) that takes the upgrade requests of start()'s server; stop() ends its
   * open sockets before the requests drain (serve's websocket option).
   */
  websocket?: ServeOptions['websocket'];
}

/** What a service builds on: its database, the bus, its app with /healthz, /readyz and /metrics mounted. */
export interface ServiceParts {
  logger: Logger;
  mongo: Connection;
  bus: Bus;
  app: OpenAPIHono<AppEnv>;
  /**
   * This instance's Prometheus registry, served at /metrics: HTTP, bus deliveries, outboxes and
   * dependencies are counted already; a service adds its own families here (`counter`, `scraped`).
   */
  metrics: ServiceMetrics;
  /** The clock given to openService. */
  now: () => Date;
  /**
   * Starts an outbox relay (on `now` unless the options name another clock); `stop()` flushes it
   * before the bus closes. Every relay is nudged after a handled message, a successful write
   * request and a job run, so nothing written there waits for the poll.
   */
  relay(options: Omit<OutboxRelayOptions, 'bus' | 'logger'>): OutboxRelay;
  /** Keeps a job so `stop()` waits for a run in progress; the relays are nudged after each run. */
  job<J extends Job>(job: J): J;
  /** Keeps a consumer so `stop()` cancels it, letting in-flight messages finish. */
  consumer(subscription: Subscription): Subscription;
  /**
   * Work `stop()` must wait for once requests, consumers and jobs have ended and before the outbox
   * flush and the database close (e.g. writes a request left running after its answer).
   */
  settleOnStop(settle: () => Promise<unknown>): void;
  /**
   * `bus.subscribe` with the markers kept in this service's database on `now` (handlers are
   * idempotent per `<service>:<purpose>:<event type>:<key>`), kept as a consumer, and the relays
   * nudged after each handler that ran and returned.
   */
  subscribe<const H extends Handlers>(
    purpose: string,
    handlers: OnlyEventNames<H>,
    options?: { leaseMs?: number },
  ): Promise<Subscription>;
}

export interface ServiceLifecycle {
  /** Listens on HOST:PORT (0 picks a free port). */
  start(): Promise<{ port: number; url: string }>;
  /**
   * Graceful, in order: stop taking requests and let in-flight ones finish, cancel consumers,
   * stop jobs, wait for what `settleOnStop` registered, flush and stop the outbox relays, close the bus, close the database. Idempotent.
   */
  stop(): Promise<void>;
}

export type OpenedService<T> = T &
  Pick<ServiceParts, 'logger' | 'mongo' | 'bus' | 'app' | 'now' | 'metrics'> &
  ServiceLifecycle & {
    /**
     * The daily sweep of the bus's idempotency markers older than PROCESSED_RETENTION_MS, there
     * once the service subscribed with markers (`parts.subscribe`); undefined otherwise.
     */
    markerPruning: Job | undefined;
  };

const DAY_MS = 86_400_000;

/**
 * How often the dependencies are checked when nothing asks (no probe, no scrape), so an outage is
 * still logged and counted when it starts, not at the next probe.
 */
const DEPENDENCY_WATCH_MS = 10_000;

/** Requests that can change state: the relays are nudged after one of these succeeds (status < 400). */
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The runtime every service has in common. Connects MongoDB and RabbitMQ, creates the app with
 * health checks and metrics, then hands them to `build`, which adds the service's stores, routes,
 * relays, consumers and jobs. If any step fails, whatever was opened is closed again, so a refused
 * boot leaks no connection or timer.
 */
export async function openService<T extends object>(
  { service, env, logger, now, title, busNamespace, largeBodyRoutes, websocket }: OpenServiceOptions,
  build: (parts: ServiceParts) => Promise<T>,
): Promise<OpenedService<T>> {
  const consumers: Subscription[] = [];
  const jobs: Job[] = [];
  const relays: OutboxRelay[] = [];
  const settling: Array<() => Promise<unknown>> = [];
  let mongo: Connection | undefined;
  let bus: Bus | undefined;
  let server: RunningServer | undefined;
  let watch: NodeJS.Timeout | undefined;
  if (typeof now !== 'function') throw new TypeError('openService: now (the clock) is required');
  // Publish what a handler, request or job just wrote now rather than at the next poll.
  const nudgeRelays = () => {
    for (const relay of relays) relay.nudge();
  };

  const closeAll = async () => {
    clearInterval(watch);
    await Promise.all(consumers.map((consumer) => consumer.cancel()));
    await Promise.all(jobs.map((job) => job.stop()));
    for (const settle of settling) await settle().catch((err) => logger.warn({ err }, 'settling on shutdown failed'));
    for (const relay of relays) {
      await relay.drain().catch((err) => logger.warn({ err }, 'outbox flush on shutdown failed'));
      await relay.stop();
    }
    await bus?.close();
    await mongo?.close();
  };

  try {
    const metrics = createServiceMetrics();
    mongo = await connectMongo(env.MONGO_URL, { logger });
    const connectedMongo = mongo;
    bus = await Bus.connect({
      url: env.AMQP_URL,
      service,
      logger,
      namespace: busNamespace ?? env.BUS_NAMESPACE ?? '',
      observeDeliveries: metrics.observeDeliveries,
    });
    const connectedBus = bus;
    const app = createApp({
      service,
      logger,
      ...(title ? { title } : {}),
      ...(largeBodyRoutes ? { largeBodyRoutes } : {}),
    });
    // Before any route: a middleware registered after a route would not run for it.
    app.use('*', countRequests({ metrics }));
    app.use('*', async function nudgeOutboxAfterWrite(c, next) {
      await next();
      if (!READ_ONLY_METHODS.has(c.req.method) && c.res.status < 400) nudgeRelays();
    });
    // Ready = able to serve the API: its database. The broker is not required: while it is away
    // writes wait in the outbox, so dropping out of the load balancer would only refuse them.
    const health = mountHealth(app, {
      ready: { mongo: () => mongoReady(connectedMongo) },
      degraded: { bus: () => connectedBus.isReady() },
      states: dependencyStates({ logger, onVerdict: metrics.dependency }),
    });
    app.get('/metrics', async (c) => {
      await health.checkAll();
      return c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType });
    });
    const relayedModels: OutboxRelayOptions['models'][number][] = [];
    outboxGauges(metrics, () => relayedModels, now);

    const parts: ServiceParts = {
      logger,
      mongo: connectedMongo,
      bus: connectedBus,
      app,
      metrics,
      now,
      relay(options) {
        const relay = startOutboxRelay({ now, ...options, bus: connectedBus, logger });
        relays.push(relay);
        relayedModels.push(...options.models);
        return relay;
      },
      job(job) {
        jobs.push(job);
        job.onRun?.(nudgeRelays);
        return job;
      },
      settleOnStop(settle) {
        settling.push(settle);
      },
      consumer(subscription) {
        consumers.push(subscription);
        return subscription;
      },
      async subscribe<const H extends Handlers>(
        purpose: string,
        handlers: OnlyEventNames<H>,
        { leaseMs }: { leaseMs?: number } = {},
      ) {
        const subscription = await connectedBus.subscribe<H>(purpose, handlers, {
          markers: connectedMongo,
          now,
          ...(leaseMs === undefined ? {} : { leaseMs }),
          onHandled: nudgeRelays,
        });
        markerPruning ??= parts.job(
          every({
            name: 'prune-processed-messages',
            intervalMs: DAY_MS,
            initialDelayMs: 60_000,
            enabled: env.JOBS_ENABLED ?? true,
            logger,
            run: () =>
              pruneProcessedMessages(
                connectedMongo,
                new Date(now().getTime() - (env.PROCESSED_RETENTION_MS ?? 7 * DAY_MS)),
              ),
          }),
        );
        return parts.consumer(subscription);
      },
    };
    let markerPruning: Job | undefined;
    const built = await build(parts);

    let stopping: Promise<void> | undefined;
    return {
      ...built,
      logger,
      mongo: connectedMongo,
      bus: connectedBus,
      app,
      metrics,
      now,
      markerPruning,
      async start() {
        server = await serve(app, {
          host: env.HOST,
          port: env.PORT,
          ...serverTimeouts(env),
          ...(websocket ? { websocket } : {}),
        });
        logger.info({ url: server.url }, `${service} listening`);
        watch ??= setInterval(() => void health.checkAll(), DEPENDENCY_WATCH_MS).unref();
        return { port: server.port, url: server.url };
      },
      stop() {
        stopping ??= (async () => {
          await server?.close();
          await closeAll();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }
}

/** The HTTP_*_TIMEOUT_MS settings a service was configured with (serve's defaults otherwise). */
function serverTimeouts(env: ServiceEnv) {
  return {
    ...(env.HTTP_HEADERS_TIMEOUT_MS ? { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS } : {}),
    ...(env.HTTP_REQUEST_TIMEOUT_MS ? { requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS } : {}),
    ...(env.HTTP_KEEP_ALIVE_TIMEOUT_MS ? { keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS } : {}),
  };
}
