import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { BrokerConnection } from './connection.ts';
import { errorFields, type Logger } from './logger.ts';
import { trackReturns } from './return-tracker.ts';

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish & { messageId: string };
}

interface Pending {
  seq: number;
  message: OutgoingMessage;
  settled: boolean;
  done: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface ConfirmPublisherOptions {
  logger: Logger;
  /** A message not confirmed within this time fails (the caller retries it later). */
  timeoutMs: number;
  /** Runs on every new channel before it publishes (declare the exchange, in case it was deleted). */
  prepare?: (channel: ConfirmChannel) => Promise<void>;
}

const REOPEN_DELAY_MS = 500;

/**
 * Publishes on one confirm channel, many messages in flight at once (never one round trip per
 * message). Messages written on a channel that dies before confirming them are written again, in
 * their original order, on the next channel — at-least-once — until their timeout.
 */
export class ConfirmPublisher {
  readonly #connection: BrokerConnection;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #prepare: ((channel: ConfirmChannel) => Promise<void>) | undefined;
  /** Waiting to be written, in sequence order. */
  #queue: Pending[] = [];
  readonly #inFlight = new Set<Pending>();
  #channel: ConfirmChannel | null = null;
  #wasReturned: (messageId: string) => boolean = () => false;
  #waitingForDrainOn: ConfirmChannel | null = null;
  #opening: Promise<void> | null = null;
  #seq = 0;
  #closed = false;

  constructor(connection: BrokerConnection, { logger, timeoutMs, prepare }: ConfirmPublisherOptions) {
    this.#connection = connection;
    this.#logger = logger;
    this.#timeoutMs = timeoutMs;
    this.#prepare = prepare;
    connection.onConnect((model) => void this.#open(model));
  }

  async start(): Promise<void> {
    const model = this.#connection.model;
    if (model) await this.#open(model);
  }

  isReady(): boolean {
    return this.#channel !== null;
  }

  /** One promise per message: resolves when the broker confirmed it and no queue refused it. */
  publish(messages: OutgoingMessage[]): Promise<void>[] {
    const promises = messages.map((message) => this.#enqueue(message));
    this.#pump();
    return promises;
  }

  /** Stops taking messages, waits for the ones in flight to settle, closes the channel. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue) this.#settle(pending, new Error('publisher closed'));
    this.#queue = [];
    await Promise.allSettled([...this.#inFlight].map((pending) => pending.done));
    const channel = this.#channel;
    this.#channel = null;
    await channel?.close().catch(() => {});
  }

  #enqueue(message: OutgoingMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('publisher closed'));
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending = { seq: this.#seq++, message, settled: false, done, resolve, reject, timer: undefined! };
    pending.timer = setTimeout(
      () => this.#settle(pending, new Error(`not confirmed within ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    );
    this.#queue.push(pending);
    return done;
  }

  #open(model: ChannelModel): Promise<void> {
    this.#opening ??= this.#openChannel(model).finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #openChannel(model: ChannelModel): Promise<void> {
    if (this.#closed || this.#channel) return;
    let channel: ConfirmChannel | undefined;
    try {
      channel = await model.createConfirmChannel();
      const opened = channel;
      channel.on('error', (err) => this.#logger.warn(errorFields(err), 'publish channel error'));
      await this.#prepare?.(channel);
      channel.on('close', () => this.#onChannelClosed(opened));
      this.#wasReturned = trackReturns(channel);
      this.#channel = channel;
      this.#logger.debug({ queued: this.#queue.length }, 'publish channel open');
      this.#pump();
    } catch (err) {
      this.#logger.warn(errorFields(err), 'could not open the publish channel');
      await channel?.close().catch(() => {});
      this.#reopenLater();
    }
  }

  #onChannelClosed(channel: ConfirmChannel): void {
    // amqplib has already failed this channel's unconfirmed callbacks, so they are queued again.
    if (this.#channel !== channel) return;
    this.#channel = null;
    this.#logger.debug({ inFlight: this.#inFlight.size }, 'publish channel closed');
    if (!this.#closed) this.#reopenLater();
  }

  /** A channel can die while its connection lives (e.g. the exchange was deleted): open another. */
  #reopenLater(): void {
    const model = this.#connection.model;
    if (!model || this.#closed) return; // the next 'connect' opens one
    setTimeout(() => {
      if (this.#connection.model === model) void this.#open(model);
    }, REOPEN_DELAY_MS).unref();
  }

  #pump(): void {
    const channel = this.#channel;
    if (!channel || this.#waitingForDrainOn === channel) return;
    const wasReturned = this.#wasReturned;
    while (this.#queue.length > 0) {
      const pending = this.#queue[0]!;
      if (pending.settled) {
        this.#queue.shift();
        continue;
      }
      const { exchange, routingKey, content, options } = pending.message;
      let flowing: boolean;
      try {
        flowing = channel.publish(exchange, routingKey, content, options, (err) =>
          this.#onConfirm(pending, err, wasReturned),
        );
      } catch {
        return; // the channel closed under us; the message stays queued for the next one
      }
      this.#queue.shift();
      this.#inFlight.add(pending);
      if (!flowing) {
        this.#waitingForDrainOn = channel;
        channel.once('drain', () => {
          this.#waitingForDrainOn = null;
          this.#pump();
        });
        return;
      }
    }
  }

  #onConfirm(pending: Pending, err: Error | null, wasReturned: (messageId: string) => boolean): void {
    this.#inFlight.delete(pending);
    const { messageId, type } = pending.message.options;
    if (!err) {
      const returned = wasReturned(messageId);
      this.#settle(pending, returned ? new Error(`no queue took ${type ?? 'message'} ${messageId}`) : null);
      return;
    }
    if (err.message === 'message nacked') {
      this.#settle(pending, new Error(`broker refused ${type ?? 'message'} ${messageId}`));
      return;
    }
    // The channel closed before confirming: it may or may not have arrived, so send it again.
    if (this.#closed) {
      this.#settle(pending, new Error('publisher closed before the broker confirmed'));
      return;
    }
    if (pending.settled) return;
    const at = this.#queue.findIndex((queued) => queued.seq > pending.seq);
    this.#queue.splice(at === -1 ? this.#queue.length : at, 0, pending);
  }

  #settle(pending: Pending, err: Error | null): void {
    if (pending.settled) return;
    pending.settled = true;
    clearTimeout(pending.timer);
    if (err) pending.reject(err);
    else pending.resolve();
  }
}
