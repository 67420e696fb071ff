import type { DomainEvent } from '@convene/contracts';
import { EnvelopeError } from '@convene/contracts';
import { eventually, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus.ts';
import type { HandlerContext } from './handlers.ts';
import { feedbackSubmitted, userActivated, userDeactivated } from './test-support/envelopes.ts';
import { rawChannel, takeMessages } from './test-support/raw-amqp.ts';
import { testLogger } from './test-support/test-logger.ts';
import { within } from './test-support/wait-for.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();
const open: Bus[] = [];

async function connectBus(service = 'rt'): Promise<Bus> {
  // One short retry delay: retries are not under test here, and every delay is one more queue.
  const bus = await Bus.connect({
    url: amqpUrl,
    service,
    namespace,
    retryDelaysMs: [200],
    logger: testLogger(service),
  });
  open.push(bus);
  return bus;
}

describe('Bus publish → subscribe', () => {
  let raw: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    for (const bus of open) await bus.close({ timeoutMs: 1000 }).catch(() => {});
    await raw.connection.close();
  });

  it('delivers confirmed envelopes, parsed, to the handler for their type', async () => {
    const bus = await connectBus();
    expect(bus.isReady()).toBe(true);
    const seen: Array<{ event: DomainEvent; ctx: HandlerContext }> = [];
    await bus.subscribe('round-trip', {
      'user.activated': (event, ctx) => {
        expectTypeOfActivated(event);
        seen.push({ event, ctx });
      },
      'user.deactivated': (event, ctx) => {
        seen.push({ event, ctx });
      },
    });
    const sent = [userActivated(1), userDeactivated(2), userActivated(3)];
    await bus.publish(sent);
    await eventually(() => seen.length === 3, { what: 'three deliveries' });
    expect(seen.map((s) => s.event.id).sort()).toEqual(sent.map((e) => e.id).sort());
    expect(seen.find((s) => s.event.id === sent[1]!.id)?.event).toEqual(sent[1]);
    expect(seen.every((s) => s.ctx.attempt === 1 && !s.ctx.redelivered)).toBe(true);
    expect(seen[0]!.ctx.queue).toBe(`${namespace}rt.round-trip`);
  });

  it('publishes persistent messages whose AMQP properties describe the envelope', async () => {
    const bus = await connectBus();
    const tap = `${namespace}tap.properties`;
    await raw.channel.assertQueue(tap, { durable: false, autoDelete: true });
    await raw.channel.bindQueue(tap, bus.names.exchange, 'user.activated');
    const sent = userActivated(7);
    await bus.publish([sent]);
    const [message] = await takeMessages(raw.channel, tap, 1);
    expect(message!.fields.routingKey).toBe('user.activated');
    expect(message!.properties).toMatchObject({
      messageId: sent.id,
      type: 'user.activated',
      contentType: 'application/json',
      deliveryMode: 2,
      appId: 'auth',
    });
    expect(JSON.parse(message!.content.toString())).toEqual(sent);
  });

  it('refuses the whole batch, before sending any, when one envelope is invalid', async () => {
    const bus = await connectBus();
    const tap = `${namespace}tap.invalid`;
    await raw.channel.assertQueue(tap, { durable: false, autoDelete: true });
    await raw.channel.bindQueue(tap, bus.names.exchange, 'user.activated');
    const bad = { ...userActivated(8), data: { user_id: 'u8', email: 'not-an-email' } } as unknown as DomainEvent;
    await expect(bus.publish([userActivated(9), bad])).rejects.toBeInstanceOf(EnvelopeError);
    await bus.publish([userActivated(10)]); // a marker: once it arrives, anything sent before it has too
    const arrived = await takeMessages(raw.channel, tap, 1);
    expect(JSON.parse(arrived[0]!.content.toString()).subject).toBe('u10');
    expect(await raw.channel.get(tap, { noAck: true })).toBe(false);
  });

  it('keeps a message that no service subscribes to in the unrouted queue', async () => {
    const bus = await connectBus();
    const before = (await raw.channel.checkQueue(bus.names.unrouted)).messageCount;
    await bus.publish([feedbackSubmitted(11)]);
    const after = (await raw.channel.checkQueue(bus.names.unrouted)).messageCount;
    expect(after).toBe(before + 1);
  });

  it('close() waits for the handler in flight and acks its message before closing', async () => {
    // The subscription logs when it has stopped consuming and is waiting for its handlers.
    const logged: string[] = [];
    const record = (_obj: object, msg?: string) => void logged.push(msg ?? '');
    const bus = await Bus.connect({
      url: amqpUrl,
      service: 'rt',
      namespace,
      retryDelaysMs: [200],
      logger: { debug: record, info: record, warn: record, error: record },
    });
    open.push(bus);
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    await bus.subscribe('graceful', {
      'user.activated': async () => {
        started = true;
        await within(released, 15_000, 'the test to release the handler');
        order.push('handler finished');
      },
    });
    await bus.publish([userActivated(13)]);
    await eventually(() => started, { what: 'the handler to start' });

    const closing = bus.close().then(() => void order.push('close resolved'));
    expect(bus.isReady()).toBe(false);
    // The handler is held until close() says it is waiting for it — or until close() resolves,
    // which it must not do first.
    await Promise.race([
      closing,
      eventually(() => logged.includes('waiting for handlers in flight'), { what: 'close() to wait' }),
    ]);
    release();
    await closing;
    expect(order).toEqual(['handler finished', 'close resolved']);
    // Acked before the channel closed: nothing went back to the queue.
    const { messageCount, consumerCount } = await raw.channel.checkQueue(`${namespace}rt.graceful`);
    expect({ messageCount, consumerCount }).toEqual({ messageCount: 0, consumerCount: 0 });
  });

  it('redelivers to another consumer a message whose consumer died before acking', async () => {
    const dying = await connectBus();
    const deliveries: Array<{ who: string; id: string; redelivered: boolean }> = [];
    const markersSeen: Array<{ who: string; id: string }> = [];
    await dying.subscribe('handover', {
      'user.activated': async (event, ctx) => {
        if (event.subject === 'marker') return void markersSeen.push({ who: 'dying', id: event.id });
        deliveries.push({ who: 'dying', id: event.id, redelivered: ctx.redelivered });
        await new Promise(() => {}); // never finishes, never acks
      },
    });
    const sent = userActivated(12);
    await dying.publish([sent]);
    await eventually(() => deliveries.length === 1, { what: 'first delivery' });

    const survivor = await connectBus();
    await survivor.subscribe('handover', {
      'user.activated': (event, ctx) => {
        if (event.subject === 'marker') markersSeen.push({ who: 'survivor', id: event.id });
        else deliveries.push({ who: 'survivor', id: event.id, redelivered: ctx.redelivered });
      },
    });
    // Markers until the survivor has handled one: it is consuming, and still the message held
    // (unacked) by the dying consumer has not been handed to it.
    await eventually(
      async () => {
        await survivor.publish([{ ...userActivated(14), subject: 'marker' }]);
        return markersSeen.some((m) => m.who === 'survivor');
      },
      { intervalMs: 50, what: 'a marker handled by the survivor' },
    );
    expect(deliveries).toEqual([{ who: 'dying', id: sent.id, redelivered: false }]);

    await dying.close({ timeoutMs: 0 });
    await eventually(() => deliveries.length === 2, { what: 'redelivery' });
    expect(deliveries[1]).toEqual({ who: 'survivor', id: sent.id, redelivered: true });
  });
});

function expectTypeOfActivated(event: DomainEvent<'user.activated'>): void {
  // Compiles only if the catalogue typed the handler's event by its key.
  void event.data.username;
}
