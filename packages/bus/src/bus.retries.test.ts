import { testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus.ts';
import { PermanentError } from './errors.ts';
import { userActivated } from './test-support/envelopes.ts';
import { deleteNamespace } from './test-support/rabbitmqctl.ts';
import { headerText, rawChannel } from './test-support/raw-amqp.ts';
import { testLogger } from './test-support/test-logger.ts';
import { sleep, waitFor } from './test-support/wait-for.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();
const retryDelaysMs = [200, 400, 800];

describe('Bus failure handling', () => {
  let bus: Bus;
  let raw: { connection: ChannelModel; channel: Channel };
  const extraBuses: Bus[] = [];

  beforeAll(async () => {
    bus = await Bus.connect({ url: amqpUrl, service: 'rt', namespace, retryDelaysMs, logger: testLogger('retries') });
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    for (const b of [bus, ...extraBuses]) await b?.close({ timeoutMs: 1000 }).catch(() => {});
    await deleteNamespace(raw.channel, namespace);
    await raw.connection.close();
  });

  /** Messages that reach the DLQ, kept by envelope id (the DLQ is shared by the tests in this file). */
  const deadLetters = new Map<string, GetMessage>();
  async function deadLetterOf(id: string, timeoutMs = 10_000): Promise<GetMessage> {
    return waitFor(
      async () => {
        for (;;) {
          const message = await raw.channel.get(bus.names.dlq, { noAck: true });
          if (!message) break;
          deadLetters.set(String(message.properties.messageId), message);
        }
        return deadLetters.get(id);
      },
      { timeoutMs, what: `dead letter ${id}` },
    );
  }

  it('retries a failing handler with growing delays, then dead-letters it with the reason, while other messages flow', async () => {
    const failing = userActivated(1);
    const attemptsAt: number[] = [];
    const attemptNumbers: number[] = [];
    const handledAt = new Map<string, number>();
    await bus.subscribe('flaky', {
      'user.activated': (event, ctx) => {
        if (event.id === failing.id) {
          attemptsAt.push(performance.now());
          attemptNumbers.push(ctx.attempt);
          throw new Error(`boom on attempt ${ctx.attempt}`);
        }
        handledAt.set(event.id, performance.now());
      },
    });

    await bus.publish([failing]);
    const others = [];
    for (let i = 0; i < 6; i++) {
      await sleep(150);
      const other = userActivated(100 + i);
      others.push(other);
      await bus.publish([other]);
    }
    const dead = await deadLetterOf(failing.id);
    const deadAt = performance.now();

    expect(attemptNumbers).toEqual([1, 2, 3, 4]);
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(retryDelaysMs[i]! * 0.9);
    });
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);

    expect(headerText(dead, 'x-convene-error')).toBe('boom on attempt 4');
    expect(Number(headerText(dead, 'x-convene-attempts'))).toBe(4);
    expect(headerText(dead, 'x-convene-queue')).toBe(`${namespace}rt.flaky`);
    expect(headerText(dead, 'x-convene-routing-key')).toBe('user.activated');
    expect(Date.parse(headerText(dead, 'x-convene-failed-at') ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(dead.properties.deliveryMode).toBe(2);
    expect(JSON.parse(dead.content.toString()).id).toBe(failing.id);

    // The queue kept flowing: every other message was handled, the early ones long before the failing one died.
    await waitFor(() => handledAt.size === others.length, { what: 'the other messages' });
    expect(handledAt.get(others[0]!.id)!).toBeLessThan(attemptsAt[3]!);
    expect(Math.min(...handledAt.values())).toBeLessThan(deadAt);
  });

  it('dead-letters at once when the handler throws PermanentError', async () => {
    const doomed = userActivated(2);
    let calls = 0;
    await bus.subscribe('permanent', {
      'user.activated': () => {
        calls++;
        throw new PermanentError('invitation no longer exists', { code: 'INVITATION_NOT_FOUND' });
      },
    });
    await bus.publish([doomed]);
    const dead = await deadLetterOf(doomed.id);
    expect(calls).toBe(1);
    expect(headerText(dead, 'x-convene-error')).toBe('invitation no longer exists');
    expect(headerText(dead, 'x-convene-error-code')).toBe('INVITATION_NOT_FOUND');
    expect(Number(headerText(dead, 'x-convene-attempts'))).toBe(1);
  });

  it('dead-letters an envelope that fails its schema (or is not JSON) at once and keeps consuming', async () => {
    const handled: string[] = [];
    await bus.subscribe('schema', {
      'user.activated': (event) => {
        handled.push(event.id);
      },
    });
    const badData = { ...userActivated(3), data: { user_id: 'u3', email: 'not-an-email' } };
    const send = (body: string, messageId: string) =>
      raw.channel.publish(bus.names.exchange, 'user.activated', Buffer.from(body), { messageId, persistent: true });
    send(JSON.stringify(badData), badData.id);
    send('{not json', 'garbage-1');
    const good = userActivated(4);
    await bus.publish([good]);

    const deadSchema = await deadLetterOf(badData.id);
    expect(headerText(deadSchema, 'x-convene-error')).toMatch(/^user\.activated data: .*email/s);
    expect(Number(headerText(deadSchema, 'x-convene-attempts'))).toBe(1);
    const deadJson = await deadLetterOf('garbage-1');
    expect(headerText(deadJson, 'x-convene-error')).toMatch(/^body is not JSON/);
    await waitFor(() => handled.includes(good.id), { what: 'the valid message after the bad ones' });
    expect(handled).toEqual([good.id]);
  });

  it('stops a crash-looping message at the delivery limit: the broker dead-letters it', async () => {
    const deliveryLimit = 2;
    const looping = userActivated(5);
    let deliveries = 0;
    let dead: GetMessage | undefined;
    // Each round a consumer takes the message and "crashes" (its connection closes unacked).
    for (let round = 0; round < deliveryLimit + 3 && !dead; round++) {
      const crashing = await Bus.connect({ url: amqpUrl, service: 'rt', namespace, retryDelaysMs, deliveryLimit });
      extraBuses.push(crashing);
      let got = false;
      await crashing.subscribe('crashy', {
        'user.activated': async () => {
          deliveries++;
          got = true;
          await new Promise(() => {});
        },
      });
      if (round === 0) await crashing.publish([looping]);
      const arrived = await waitFor(() => got, { timeoutMs: 2000 }).catch(() => false);
      await crashing.close({ timeoutMs: 0 });
      if (!arrived) dead = await deadLetterOf(looping.id, 2000).catch(() => undefined);
    }
    dead ??= await deadLetterOf(looping.id);
    // RabbitMQ 3.10 dead-letters when the delivery count exceeds the limit: limit + 1 deliveries.
    expect(deliveries).toBeGreaterThanOrEqual(deliveryLimit);
    expect(deliveries).toBeLessThanOrEqual(deliveryLimit + 1);
    const deaths = dead.properties.headers?.['x-death'] as Array<{ reason: string; queue: string }>;
    expect(deaths[0]).toMatchObject({ reason: 'delivery_limit', queue: `${namespace}rt.crashy` });
  });
});
