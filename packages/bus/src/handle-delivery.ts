import { randomUUID } from 'node:crypto';
import { type DomainEvent, parseEnvelope } from '@convene/contracts';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { failedAttempts } from './attempts.ts';
import type { DeliveryObserver, DeliveryOutcome } from './delivery-observer.ts';
import { isPermanent, PermanentError } from './errors.ts';
import { failureHeaders, ROUTING_KEY_HEADER } from './failure-headers.ts';
import type { HandlerContext } from './handlers.ts';
import type { DeliveryHandler } from './idempotency/keep-markers.ts';
import { errorFields, type Logger } from './logger.ts';
import type { Names } from './names.ts';
import { publishConfirmed } from './publish-confirmed.ts';
import { contextFromHeaders, processSpan } from './tracing.ts';

export interface DeliveryScope {
  channel: ConfirmChannel;
  wasReturned: (messageId: string) => boolean;
  names: Names;
  queue: string;
  handlers: Readonly<Record<string, DeliveryHandler>>;
  retryDelaysMs: readonly number[];
  logger: Logger;
  /** Told how each delivery ended (the service's metrics). */
  observe?: DeliveryObserver | undefined;
}

/**
 * Settles one delivery. The handler returning acks it. A throw sends it to the wait queue for the
 * next delay, or — when the delays are used up, the error is permanent, or the envelope is
 * invalid — to the service DLQ with the reason. The copy is confirmed before the original is
 * acked, so a crash in between duplicates the message rather than losing it.
 */
export async function handleDelivery(scope: DeliveryScope, message: ConsumeMessage): Promise<void> {
  const started = performance.now();
  const outcome = await settleDelivery(scope, message);
  if (!scope.observe) return;
  const { queue } = scope;
  const routingKey = String(message.properties.headers?.[ROUTING_KEY_HEADER] ?? message.fields.routingKey);
  try {
    scope.observe({ queue, routingKey, outcome, seconds: (performance.now() - started) / 1000 });
  } catch {
    // An observer is told, never in charge: the delivery is settled either way.
  }
}

async function settleDelivery(scope: DeliveryScope, message: ConsumeMessage): Promise<DeliveryOutcome> {
  const { queue, logger } = scope;
  const headers = message.properties.headers;
  const attempt = failedAttempts(headers, queue) + 1;
  const routingKey = String(headers?.[ROUTING_KEY_HEADER] ?? message.fields.routingKey);
  const messageId = String(message.properties.messageId ?? '');
  const log = { queue, routingKey, messageId, attempt };

  let event: DomainEvent;
  let handler: DeliveryHandler;
  try {
    event = parseEnvelope(JSON.parse(message.content.toString('utf8')));
    const found = scope.handlers[event.type];
    if (!found) throw new PermanentError(`no handler for ${event.type} on ${queue}`, { code: 'NO_HANDLER' });
    handler = found;
  } catch (err) {
    const reason = err instanceof SyntaxError ? new PermanentError(`body is not JSON: ${err.message}`) : err;
    await sendAway(scope, message, scope.names.dlq, { error: reason, attempts: attempt, routingKey });
    logger.error({ ...log, ...errorFields(reason) }, 'invalid message dead-lettered');
    return 'dead_lettered';
  }

  const ctx: HandlerContext = {
    attempt,
    redelivered: message.fields.redelivered,
    logger,
    queue,
  };
  const facts = {
    destination: queue,
    routingKey,
    messageId: event.id,
    bodySize: message.content.length,
    correlationId: event.correlationid,
  };
  try {
    await processSpan(facts, contextFromHeaders(headers), async () => {
      await handler(event, ctx);
    });
  } catch (err) {
    const delay = scope.retryDelaysMs[attempt - 1];
    if (isPermanent(err) || delay === undefined) {
      await sendAway(scope, message, scope.names.dlq, { error: err, attempts: attempt, routingKey });
      logger.error({ ...log, ...errorFields(err) }, 'handler failed; message dead-lettered');
      return 'dead_lettered';
    }
    const waitQueue = scope.names.retryQueue(queue, delay);
    await sendAway(scope, message, waitQueue, { error: err, attempts: attempt, routingKey });
    logger.warn({ ...log, delayMs: delay, ...errorFields(err) }, 'handler failed; retrying later');
    return 'retried';
  }
  ack(scope, message);
  return 'handled';
}

/** Copies the message (confirmed) to `target` through the default exchange, then acks the original. */
async function sendAway(
  scope: DeliveryScope,
  message: ConsumeMessage,
  target: string,
  failure: { error: unknown; attempts: number; routingKey: string },
): Promise<void> {
  const { properties } = message;
  const options: Options.Publish & { messageId: string } = {
    persistent: true,
    messageId: typeof properties.messageId === 'string' ? properties.messageId : randomUUID(),
    contentType: properties.contentType ?? 'application/json',
    headers: failureHeaders(properties.headers, { ...failure, queue: scope.queue }),
  };
  if (properties.type !== undefined) options.type = properties.type;
  if (properties.correlationId !== undefined) options.correlationId = properties.correlationId;
  if (properties.timestamp !== undefined) options.timestamp = properties.timestamp;
  if (properties.appId !== undefined) options.appId = properties.appId;
  try {
    await publishConfirmed(scope.channel, scope.wasReturned, '', target, message.content, options);
  } catch (err) {
    // Not moved: hand it back to the queue. Quorum queues count this towards x-delivery-limit,
    // so a message that can never be moved ends in the DLQ instead of looping forever.
    scope.logger.warn({ queue: scope.queue, target, ...errorFields(err) }, 'could not move a failed message');
    try {
      scope.channel.nack(message, false, true);
    } catch {
      // The channel is gone; the broker redelivers the message anyway.
    }
    return;
  }
  ack(scope, message);
}

function ack(scope: DeliveryScope, message: ConsumeMessage): void {
  try {
    scope.channel.ack(message);
  } catch (err) {
    // The channel closed after the work was done: the broker redelivers it (consumers are idempotent).
    scope.logger.debug({ queue: scope.queue, ...errorFields(err) }, 'ack after channel closed');
  }
}
