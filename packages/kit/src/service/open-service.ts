import { Bus, type OutboxRelay, type OutboxRelayOptions, type Subscription, startOutboxRelay } from '@convene/bus';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Connection } from 'mongoose';
import { type AppEnv, type CreateAppOptions, createApp } from '../app/create-app.ts';
import { mongoReady } from '../health/mongo-ready.ts';
import { mountHealth } from '../health/mount-health.ts';
import type { Job } from '../jobs/every.ts';
import type { Logger } from '../logging/create-logger.ts';
import { connectMongo } from '../mongo/connect-mongo.ts';
import { type RunningServer, serve } from '../server/serve.ts';

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
}

export interface OpenServiceOptions {
  /** 'auth', 'events', ... — names the bus queues, the log lines and the OpenAPI document. */
  service: string;
  env: ServiceEnv;
  logger: Logger;
  /** OpenAPI title; defaults to "Convene <service>". */
  title?: string;
  /** Overrides env.BUS_NAMESPACE (tests isolate with it). */
  busNamespace?: string;
  /** Routes that take a larger body than the 1 MiB default (createApp's largeBodyRoutes). */
  largeBodyRoutes?: CreateAppOptions['largeBodyRoutes'];
}

/** What a service builds on: its database, the bus, its app with /healthz and /readyz mounted. */
export interface ServiceParts {
  logger: Logger;
  mongo: Connection;
  bus: Bus;
  app: OpenAPIHono<AppEnv>;
  /** Starts an outbox relay; `stop()` flushes it before the bus closes. */
  relay(options: Omit<OutboxRelayOptions, 'bus' | 'logger'>): OutboxRelay;
  /** Keeps a job so `stop()` waits for a run in progress. */
  job<J extends Job>(job: J): J;
  /** Keeps a consumer so `stop()` cancels it, letting in-flight messages finish. */
  consumer(subscription: Subscription): Subscription;
}

export interface ServiceLifecycle {
  /** Listens on HOST:PORT (0 picks a free port). */
  start(): Promise<{ port: number; url: string }>;
  /**
   * Graceful, in order: stop taking requests and let in-flight ones finish, cancel consumers,
   * stop jobs, flush and stop the outbox relays, close the bus, close the database. Idempotent.
   */
  stop(): Promise<void>;
}

export type OpenedService<T> = T & Pick<ServiceParts, 'logger' | 'mongo' | 'bus' | 'app'> & ServiceLifecycle;

/**
 * The runtime every service has in common. Connects MongoDB and RabbitMQ, creates the app with
 * health checks on both, then hands them to `build`, which adds the service's stores, routes,
 * relays, consumers and jobs. If any step fails, whatever was opened is closed again, so a refused
 * boot leaks no connection or timer.
 */
export async function openService<T extends object>(
  { service, env, logger, title, busNamespace, largeBodyRoutes }: OpenServiceOptions,
  build: (parts: ServiceParts) => Promise<T>,
): Promise<OpenedService<T>> {
  const consumers: Subscription[] = [];
  const jobs: Job[] = [];
  const relays: OutboxRelay[] = [];
  let mongo: Connection | undefined;
  let bus: Bus | undefined;
  let server: RunningServer | undefined;

  const closeAll = async () => {
    await Promise.all(consumers.map((consumer) => consumer.cancel()));
    await Promise.all(jobs.map((job) => job.stop()));
    for (const relay of relays) {
      await relay.drain().catch((err) => logger.warn({ err }, 'outbox flush on shutdown failed'));
      await relay.stop();
    }
    await bus?.close();
    await mongo?.close();
  };

  try {
    mongo = await connectMongo(env.MONGO_URL, { logger });
    const connectedMongo = mongo;
    bus = await Bus.connect({ url: env.AMQP_URL, service, logger, namespace: busNamespace ?? env.BUS_NAMESPACE ?? '' });
    const connectedBus = bus;
    const app = createApp({
      service,
      logger,
      ...(title ? { title } : {}),
      ...(largeBodyRoutes ? { largeBodyRoutes } : {}),
    });
    mountHealth(app, { checks: { mongo: () => mongoReady(connectedMongo), bus: () => connectedBus.isReady() } });

    const parts: ServiceParts = {
      logger,
      mongo: connectedMongo,
      bus: connectedBus,
      app,
      relay(options) {
        const relay = startOutboxRelay({ ...options, bus: connectedBus, logger });
        relays.push(relay);
        return relay;
      },
      job(job) {
        jobs.push(job);
        return job;
      },
      consumer(subscription) {
        consumers.push(subscription);
        return subscription;
      },
    };
    const built = await build(parts);

    let stopping: Promise<void> | undefined;
    return {
      ...built,
      logger,
      mongo: connectedMongo,
      bus: connectedBus,
      app,
      async start() {
        server = await serve(app, {
          host: env.HOST,
          port: env.PORT,
          ...serverTimeouts(env),
        });
        logger.info({ url: server.url }, `${service} listening`);
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
