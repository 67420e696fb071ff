import { type ChannelModel, connect, type RecoveringChannelModel } from 'amqplib';
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import { errorFields, type Logger } from './logger.ts';

export interface BrokerConnectionOptions {
  url: string;
  /** Shown by `rabbitmqctl list_connections name` and the management UI. */
  name: string;
  logger: Logger;
  /** Seconds; a silent broker or a dead TCP peer is noticed after about twice this. Default 10. */
  heartbeatSec?: number;
  reconnect?: BackoffOptions;
  /** Runs on every fresh connection before it is handed to anyone: declare topology here. */
  setup?: (model: ChannelModel) => Promise<void>;
}

type ConnectListener = (model: ChannelModel) => void;

/**
 * One AMQP connection that comes back after broker restarts and dropped sockets. amqplib (2.x)
 * re-opens the socket itself; this wrapper chooses the backoff, turns heartbeats on, runs the
 * topology setup before a new connection is used, and tells channel owners (publisher,
 * subscriptions) to rebuild their channels on it.
 */
export class BrokerConnection {
  readonly #recovering: RecoveringChannelModel;
  readonly #listeners = new Set<ConnectListener>();
  #current: ChannelModel | null = null;
  #connects = 0;
  #closed = false;

  private constructor(recovering: RecoveringChannelModel, logger: Logger) {
    this.#recovering = recovering;
    recovering.on('connect', (model) => {
      this.#current = model;
      this.#connects += 1;
      if (this.#connects > 1) logger.info({ connects: this.#connects }, 'amqp reconnected');
      for (const listener of this.#listeners) listener(model);
    });
    recovering.on('disconnect', (err) => {
      this.#current = null;
      if (!this.#closed) logger.warn(errorFields(err), 'amqp connection lost');
    });
    recovering.on('connect-failed', (err) => logger.warn(errorFields(err), 'amqp connect failed'));
    recovering.on('reconnect-scheduled', ({ attempt, delay }) =>
      logger.debug({ attempt, delay }, 'amqp reconnect scheduled'),
    );
    recovering.on('error', (err) => logger.warn(errorFields(err), 'amqp connection error'));
    recovering.on('blocked', (reason) => logger.warn({ reason }, 'amqp connection blocked by the broker'));
    recovering.on('unblocked', () => logger.info({}, 'amqp connection unblocked'));
  }

  /** Resolves on the first successful connection (and setup); keeps retrying until then. */
  static async open(options: BrokerConnectionOptions): Promise<BrokerConnection> {
    const { url, name, logger, heartbeatSec = 10, setup } = options;
    const reconnect = options.reconnect ?? { initialMs: 250, maxMs: 15_000 };
    const recovering = await connect(withHeartbeat(url, heartbeatSec), {
      clientProperties: { connection_name: name },
      timeout: 10_000,
      recovery: {
        waitForConnect: false,
        calculateDelay: (attempt) => backoffDelay(attempt, reconnect),
        ...(setup ? { setup } : {}),
      },
    });
    const connection = new BrokerConnection(recovering, logger);
    await recovering.waitForConnect();
    return connection;
  }

  /** The live connection, or null while reconnecting. */
  get model(): ChannelModel | null {
    return this.#current;
  }

  isOpen(): boolean {
    return this.#current !== null;
  }

  /** How many times a connection (and its setup) has succeeded; more than 1 means it recovered. */
  get connectCount(): number {
    return this.#connects;
  }

  /** Called on every later (re)connection; returns a function that stops it. */
  onConnect(listener: ConnectListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#current = null;
    await this.#recovering.close();
  }
}

function withHeartbeat(url: string, heartbeatSec: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSec));
  return parsed.toString();
}
