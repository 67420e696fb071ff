import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import { connect } from 'amqplib';
import { namesFor } from '../names.ts';
import { publishConfirmed } from '../publish-confirmed.ts';
import { trackReturns } from '../return-tracker.ts';
import { type DeadLetterOrigin, deadLetterOrigin, replayHeaders } from './origin.ts';

/** One message in a DLQ as an operator sees it. */
export interface DeadLetter {
  /** The envelope id (AMQP message id); '' when the publisher gave none. */
  id: string;
  /** The event type, from the AMQP type property or the envelope. */
  type: string | null;
  origin: DeadLetterOrigin;
  /** Position in the queue when it was read, from 1. */
  position: number;
  body: string;
}

/** Which messages an action applies to: one envelope id (every copy of it), or the whole queue. */
export type Selection = { id: string } | { all: true };

export interface WalkProgress {
  /** Messages looked at so far, of `total` (the queue's length when the walk began). */
  seen: number;
  total: number;
  acted: number;
}

export interface ReplayOutcome {
  /** Messages in the queue when the replay began: the walk stops there, so a copy that fails again is not replayed twice. */
  total: number;
  replayed: number;
  matched: number;
  /** Selected but left in place, with why (no origin recorded, the work queue is gone). */
  skipped: Array<{ id: string; position: number; why: string }>;
}

export interface DiscardOutcome {
  total: number;
  discarded: number;
}

/** The dead-letter queues of these services under a bus namespace (one per service; see names.ts). */
export function deadLetterQueues(namespace: string, services: readonly string[]): string[] {
  return services.map((service) => namesFor(namespace, service).dlq);
}

/** Copies published before their originals are acked; bounded so a huge DLQ does not flood the broker. */
const REPLAY_WINDOW = 64;

/**
 * An operator's hands on dead-letter queues. Every action walks the queue with basic.get and
 * holds what it keeps unacked until the walk ends, then hands it back (nack + requeue) in the
 * order it was read, so the queue keeps its order and a crash of this process returns everything
 * (the broker requeues unacked messages when the connection drops). Replays publish each copy
 * with a publisher confirm and ack the original only once the copy is confirmed: a crash between
 * the two leaves the message both replayed and in the DLQ (the consumers' idempotency absorbs the
 * second copy if it is replayed again), never lost.
 */
export class DeadLetterQueues {
  readonly #connection: ChannelModel;

  private constructor(connection: ChannelModel) {
    this.#connection = connection;
  }

  static async open(url: string, name = 'convene-dlq-tool'): Promise<DeadLetterQueues> {
    const connection = await connect(url, { clientProperties: { connection_name: name }, timeout: 10_000 });
    connection.on('error', () => {});
    return new DeadLetterQueues(connection);
  }

  /** The number of messages in `queue`, or null when there is no such queue (a service that never subscribed). */
  async count(queue: string): Promise<number | null> {
    // A missing queue closes the channel it was asked on: a channel of its own.
    const channel = await this.#connection.createChannel();
    channel.on('error', () => {});
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return null;
      throw err;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  /**
   * Reads up to `limit` messages (only those with `id`, when given) and leaves them all where
   * they were. Each one read is redelivered later with `redelivered` set, and on a quorum queue
   * its delivery count goes up by one.
   */
  async peek(queue: string, { limit = 20, id }: { limit?: number; id?: string } = {}): Promise<DeadLetter[]> {
    const found: DeadLetter[] = [];
    await this.#walk(queue, async (message, position) => {
      const letter = describe(message, position);
      if (id === undefined || letter.id === id) found.push(letter);
      return found.length >= limit ? 'stop' : 'keep';
    });
    return found;
  }

  /**
   * Sends the selected messages back to the work queue each failed in (through the default
   * exchange, so only that queue gets it, not every service bound to its routing key), with the
   * failure history cleared and the routing key kept, then removes them from the DLQ.
   */
  async replay(
    queue: string,
    selection: Selection,
    { onProgress, now = () => new Date() }: { onProgress?: (p: WalkProgress) => void; now?: () => Date } = {},
  ): Promise<ReplayOutcome> {
    const channel = await this.#connection.createConfirmChannel();
    channel.on('error', () => {});
    const wasReturned = trackReturns(channel);
    const outcome: ReplayOutcome = { total: 0, replayed: 0, matched: 0, skipped: [] };
    let window: Array<{ message: GetMessage; position: number; confirmed: Promise<void> }> = [];
    // A copy the broker did not take: its original stays in the DLQ, handed back with the rest at the end.
    const kept: GetMessage[] = [];
    const settle = async () => {
      const current = window;
      window = [];
      const results = await Promise.allSettled(current.map((entry) => entry.confirmed));
      results.forEach((result, i) => {
        const { message, position } = current[i]!;
        if (result.status === 'fulfilled') {
          channel.ack(message);
          outcome.replayed++;
        } else {
          kept.push(message);
          outcome.skipped.push({
            id: messageIdOf(message),
            position,
            why: `not replayed: ${(result.reason as Error).message}`,
          });
        }
      });
    };
    try {
      outcome.total = await this.#walkOn(
        channel,
        queue,
        async (message, position) => {
          const letter = describe(message, position);
          if ('id' in selection && letter.id !== selection.id) return 'keep';
          outcome.matched++;
          const target = letter.origin.queue;
          const refusal = target === null ? 'no failure headers say which queue it came from' : refuse(target, queue);
          if (refusal) {
            outcome.skipped.push({ id: letter.id, position, why: refusal });
            return 'keep';
          }
          const { properties } = message;
          const messageId = letter.id || `replay-${position}-${Date.now()}`;
          const confirmed = publishConfirmed(channel, wasReturned, '', target!, message.content, {
            persistent: true,
            messageId,
            contentType: properties.contentType ?? 'application/json',
            headers: replayHeaders(properties.headers, letter.origin, now()),
            ...(properties.type === undefined ? {} : { type: properties.type }),
            ...(properties.correlationId === undefined ? {} : { correlationId: properties.correlationId }),
            ...(properties.timestamp === undefined ? {} : { timestamp: properties.timestamp }),
            ...(properties.appId === undefined ? {} : { appId: properties.appId }),
          });
          window.push({ message, position, confirmed });
          if (window.length >= REPLAY_WINDOW) await settle();
          return 'taken';
        },
        (seen, total) => onProgress?.({ seen, total, acted: outcome.replayed + window.length }),
        { beforeRelease: settle, kept },
      );
      return outcome;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  /** Removes the selected messages for good (acked, not dead-lettered anywhere). */
  async discard(
    queue: string,
    selection: Selection,
    { onProgress }: { onProgress?: (p: WalkProgress) => void } = {},
  ): Promise<DiscardOutcome> {
    const outcome: DiscardOutcome = { total: 0, discarded: 0 };
    const channel = await this.#connection.createChannel();
    channel.on('error', () => {});
    try {
      outcome.total = await this.#walkOn(
        channel,
        queue,
        async (message) => {
          if ('id' in selection && messageIdOf(message) !== selection.id) return 'keep';
          channel.ack(message);
          outcome.discarded++;
          return 'taken';
        },
        (seen, total) => onProgress?.({ seen, total, acted: outcome.discarded }),
      );
      return outcome;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.#connection.close().catch(() => {});
  }

  async #walk(queue: string, visit: Visit): Promise<number> {
    const channel = await this.#connection.createChannel();
    channel.on('error', () => {});
    try {
      return await this.#walkOn(channel, queue, visit);
    } finally {
      await channel.close().catch(() => {});
    }
  }

  /**
   * basic.get up to the queue's length at the start (later arrivals, such as a replayed copy that
   * failed again, sit behind them and are not reached), then the kept ones handed back in order.
   */
  async #walkOn(
    channel: Channel,
    queue: string,
    visit: Visit,
    progress?: (seen: number, total: number) => void,
    { beforeRelease, kept = [] }: { beforeRelease?: () => Promise<void>; kept?: GetMessage[] } = {},
  ): Promise<number> {
    const { messageCount: total } = await channel.checkQueue(queue);
    try {
      for (let seen = 1; seen <= total; seen++) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        const decision = await visit(message, seen);
        if (decision !== 'taken') kept.push(message);
        progress?.(seen, total);
        if (decision === 'stop') break;
      }
      await beforeRelease?.();
    } finally {
      // In the order read: a quorum queue serves returned messages first, in the order returned.
      for (const message of kept) channel.nack(message, false, true);
      if (kept.length > 0) await returned(channel, queue, kept.length);
    }
    return total;
  }
}

const RETURN_WAIT_MS = 5_000;

/**
 * A nack has no reply, and a quorum queue applies it asynchronously: the next command (or the
 * next operator command) could find the queue without the messages just handed back and take it
 * for empty. So a walk ends only once the queue counts them again (bounded: if something else
 * took them meanwhile, it stops waiting).
 */
async function returned(channel: Channel, queue: string, count: number): Promise<void> {
  const until = Date.now() + RETURN_WAIT_MS;
  for (let pause = 5; Date.now() < until; pause = Math.min(pause * 2, 100)) {
    const { messageCount } = await channel.checkQueue(queue);
    if (messageCount >= count) return;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

type Visit = (message: GetMessage, position: number) => Promise<'keep' | 'taken' | 'stop'>;

/** A replay goes to a work queue, never back into a DLQ or a wait queue. */
function refuse(target: string, dlq: string): string | null {
  if (target === dlq || target.endsWith('.dlq')) return `its origin ${target} is a dead-letter queue`;
  if (/\.retry\.\d+$/.test(target)) return `its origin ${target} is a wait queue`;
  return null;
}

function messageIdOf(message: GetMessage): string {
  const id = message.properties.messageId;
  return typeof id === 'string' ? id : '';
}

function describe(message: GetMessage, position: number): DeadLetter {
  const body = message.content.toString('utf8');
  let type: string | null = typeof message.properties.type === 'string' ? message.properties.type : null;
  if (type === null) {
    try {
      const parsed = JSON.parse(body) as { type?: unknown };
      if (typeof parsed.type === 'string') type = parsed.type;
    } catch {
      // Not JSON: an invalid message (its reason says so).
    }
  }
  return { id: messageIdOf(message), type, origin: deadLetterOrigin(message.properties.headers), position, body };
}
