import { eventually, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus.ts';
import { PermanentError } from './errors.ts';
import { userActivated } from './test-support/envelopes.ts';
import { headerText, rawChannel } from './test-support/raw-amqp.ts';
import { testLogger } from './test-support/test-logger.ts';

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
    await raw.connection.close();
  });

  /**
   * Messages that reach the DLQ, by the queue they failed in and envelope id: the DLQ is shared by
   * the tests in this file, and one envelope reaches every queue bound to its type, so several
   * queues can dead-letter the same id. The bus names the queue in `x-convene-queue`; the broker's
   * own dead-lettering (delivery limit) in `x-first-death-queue`.
   */
  const deadLetters = new Map<string, GetMessage>();
  const deadLetterKey = (purpose: string, id: string) => `${namespace}rt.${purpose} ${id}`;
  async function collectDeadLetters(): Promise<void> {
    for (;;) {
      const message = await raw.channel.get(bus.names.dlq, { noAck: true });
      if (!message) return;
      const queue = headerText(message, 'x-convene-queue') ?? headerText(message, 'x-first-death-queue');
      deadLetters.set(`${queue} ${String(message.properties.messageId)}`, message);
    }
  }
  async function deadLetterOf(purpose: string, id: string, timeoutMs = 10_000): Promise<GetMessage> {
    return eventually(
      async () => {
        await collectDeadLetters();
        return deadLetters.get(deadLetterKey(purpose, id));
      },
      { timeoutMs, what: `dead letter ${id} from ${purpose}` },
    );
  }

  it('retries a failing handler with growing delays, then dead-letters it with the reason, while other messages flow', async () => {
    const failing = userActivated(1);
    const attemptsAt: number[] = [];
    const attemptNumbers: number[] = [];
    const handled = new Set<string>();
    // After each failed attempt the test publishes two other messages; the next attempt fails only
    // once those have been handled, so they got through while the failing one was still being
    // retried, not after it was dead-lettered — a barrier rather than a race with the delays.
    const othersBefore = [0, 1, 2].map((k) => [userActivated(100 + 2 * k), userActivated(101 + 2 * k)]);
    const gotThrough: boolean[] = [];
    await bus.subscribe('flaky', {
      'user.activated': async (event, ctx) => {
        if (event.id !== failing.id) {
          handled.add(event.id);
          return;
        }
        attemptsAt.push(performance.now());
        attemptNumbers.push(ctx.attempt);
        const waitingFor = othersBefore[ctx.attempt - 2];
        if (waitingFor) {
          const handledMeanwhile = eventually(() => waitingFor.every((e) => handled.has(e.id)), {
            timeoutMs: 15_000,
            what: `the messages published before attempt ${ctx.attempt}`,
          });
          gotThrough.push(
            await handledMeanwhile.then(
              () => true,
              () => false,
            ),
          );
        }
        throw new Error(`boom on attempt ${ctx.attempt}`);
      },
    });

    await bus.publish([failing]);
    for (const [i, others] of othersBefore.entries()) {
      await eventually(() => attemptNumbers.length > i, { what: `attempt ${i + 1}` });
      await bus.publish(others);
    }
    const dead = await deadLetterOf('flaky', failing.id, 30_000);

    expect(attemptNumbers).toEqual([1, 2, 3, 4]);
    expect(gotThrough).toEqual([true, true, true]);
    expect(handled).toEqual(new Set(othersBefore.flat().map((e) => e.id)));
    // A wait queue holds a message for at least its delay: each gap is a lower bound that load
    // can only lengthen (a few ms of slack for the broker's timer rounding).
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
    expect(gaps).toHaveLength(retryDelaysMs.length);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(retryDelaysMs[i]! - 20);
    });

    expect(headerText(dead, 'x-convene-error')).toBe('boom on attempt 4');
    expect(Number(headerText(dead, 'x-convene-attempts'))).toBe(4);
    expect(headerText(dead, 'x-convene-queue')).toBe(`${namespace}rt.flaky`);
    expect(headerText(dead, 'x-convene-routing-key')).toBe('user.activated');
    expect(Date.parse(headerText(dead, 'x-convene-failed-at') ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(dead.properties.deliveryMode).toBe(2);
    expect(JSON.parse(dead.content.toString()).id).toBe(failing.id);
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
    const dead = await deadLetterOf('permanent', doomed.id);
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

    const deadSchema = await deadLetterOf('schema', badData.id);
    expect(headerText(deadSchema, 'x-convene-error')).toMatch(/^user\.activated data: .*email/s);
    expect(Number(headerText(deadSchema, 'x-convene-attempts'))).toBe(1);
    const deadJson = await deadLetterOf('schema', 'garbage-1');
    expect(headerText(deadJson, 'x-convene-error')).toMatch(/^body is not JSON/);
    await eventually(() => handled.includes(good.id), { what: 'the valid message after the bad ones' });
    expect(handled).toEqual([good.id]);
  });

  it('stops a crash-looping message at the delivery limit: the broker dead-letters it', async () => {
    const deliveryLimit = 2;
    const looping = userActivated(5);
    let deliveries = 0;
    let dead: GetMessage | undefined;
    const deadLetter = async () => {
      await collectDeadLetters();
      return deadLetters.get(deadLetterKey('crashy', looping.id));
    };
    // Each round a consumer takes the message and "crashes" (its connection closes unacked), until
    // the broker dead-letters it instead of delivering it again. Each round waits for one of the
    // two events, never for a time.
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
      await eventually(
        async () => {
          if (got) return true;
          dead = await deadLetter();
          return dead !== undefined;
        },
        {
          timeoutMs: 20_000,
          what: `round ${round + 1}: a delivery or the dead letter`,
        },
      );
      await crashing.close({ timeoutMs: 0 });
    }
    // RabbitMQ dead-letters when the delivery count exceeds the limit: limit + 1 deliveries.
    expect(deliveries).toBe(deliveryLimit + 1);
    expect(dead).toBeDefined();
    const deaths = dead!.properties.headers?.['x-death'] as Array<{ reason: string; queue: string }>;
    expect(deaths[0]).toMatchObject({ reason: 'delivery_limit', queue: `${namespace}rt.crashy` });
  });
});
