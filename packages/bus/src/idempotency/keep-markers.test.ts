import type { DomainEvent } from '@convene/contracts';
import { eventually, mongoUrlFor, TestClock, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus.ts';
import type { Logger } from '../logger.ts';
import { userActivated, userDeactivated } from '../test-support/envelopes.ts';
import { rawChannel } from '../test-support/raw-amqp.ts';
import { within } from '../test-support/wait-for.ts';
import { markerId } from './keep-markers.ts';
import { PROCESSED_COLLECTION } from './once.ts';

const namespace = `${uniqueName('bus_markers')}.`;
const { amqpUrl } = testInfra();

interface Line {
  level: string;
  msg: string | undefined;
  obj: Record<string, unknown>;
}

/** A logger that keeps its lines, so a test can wait for "retrying later" or "duplicate skipped". */
function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const write = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, msg, obj: obj as Record<string, unknown> });
  };
  return { logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }, lines };
}

describe('bus-kept idempotency (subscribe with markers)', { timeout: 60_000 }, () => {
  let connection: Connection;
  let raw: { connection: ChannelModel; channel: Channel };
  const open: Bus[] = [];

  async function connectBus(logger: Logger, { prefetch = 32, retryDelaysMs = [200, 200, 200] } = {}): Promise<Bus> {
    const bus = await Bus.connect({ url: amqpUrl, service: 'mk', namespace, retryDelaysMs, logger, prefetch });
    open.push(bus);
    return bus;
  }
  const marker = (id: string) => connection.collection(PROCESSED_COLLECTION).findOne({ _id: id as never });

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlFor(uniqueName('bus_markers'))).asPromise();
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    for (const bus of open) await bus.close({ timeoutMs: 1000 }).catch(() => {});
    await raw.connection.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('runs a handler once per envelope id by default, marking <service>:<purpose>:<type>:<id> done', async () => {
    const { logger, lines } = recordingLogger();
    // prefetch 1: the queue hands out one message at a time, so the last one handled means all before it were.
    const bus = await connectBus(logger, { prefetch: 1 });
    const runs: string[] = [];
    const handled: string[] = [];
    await bus.subscribe(
      'default-key',
      {
        'user.activated': async (event) => {
          runs.push(event.id);
        },
        'user.deactivated': async (event) => {
          runs.push(event.id);
        },
      },
      { markers: connection, onHandled: (event) => handled.push(event.id) },
    );
    const first = userActivated(1);
    const after = userDeactivated(2);
    await bus.publish([first, first, first]);
    await bus.publish([after]);
    // onHandled comes after the marker is done, so this waits for the whole of the last delivery.
    await eventually(() => handled.includes(after.id), { what: 'the message published after the duplicates' });

    expect(runs).toEqual([first.id, after.id]);
    expect(handled).toEqual([first.id, after.id]);
    expect(lines.filter((l) => l.msg === 'duplicate message skipped').map((l) => l.obj.marker)).toEqual([
      `mk:default-key:user.activated:${first.id}`,
      `mk:default-key:user.activated:${first.id}`,
    ]);
    expect(await marker(markerId('mk', 'default-key', 'user.activated', first.id))).toMatchObject({
      state: 'done',
      lease_until: null,
    });
  });

  it('uses the key a handler declares: two envelopes with the same key are one piece of work', async () => {
    const bus = await connectBus(recordingLogger().logger, { prefetch: 1 });
    const runs: string[] = [];
    await bus.subscribe(
      'declared-key',
      {
        'user.activated': { handle: async (event) => void runs.push(event.id), key: (event) => event.data.user_id },
        'user.deactivated': async (event) => void runs.push(event.id),
      },
      { markers: connection },
    );
    const a = userActivated(7);
    const b = userActivated(7); // another envelope id, the same user
    const c = userActivated(8);
    const after = userDeactivated(9);
    await bus.publish([a, b, c]);
    await bus.publish([after]);
    await eventually(() => runs.includes(after.id), { what: 'the message published after the keyed ones' });

    expect(runs).toEqual([a.id, c.id, after.id]);
    expect(await marker(markerId('mk', 'declared-key', 'user.activated', 'u7'))).toMatchObject({ state: 'done' });
    expect(await marker(markerId('mk', 'declared-key', 'user.activated', a.id))).toBeNull();
  });

  it('keeps no marker for a handler with markers: false, and runs it for every delivery', async () => {
    const bus = await connectBus(recordingLogger().logger, { prefetch: 1 });
    const runs: string[] = [];
    await bus.subscribe(
      'opted-out',
      {
        'user.activated': { handle: async (event) => void runs.push(event.id), markers: false },
        'user.deactivated': async (event) => void runs.push(event.id),
      },
      { markers: connection },
    );
    const dup = userActivated(3);
    const after = userDeactivated(4);
    await bus.publish([dup, dup]);
    await bus.publish([after]);
    await eventually(() => runs.includes(after.id), { what: 'the message published after the duplicates' });
    expect(runs).toEqual([dup.id, dup.id, after.id]);
    expect(await marker(markerId('mk', 'opted-out', 'user.activated', dup.id))).toBeNull();
  });

  it('retries a duplicate that arrives while the first runs (ALREADY_PROCESSING), then skips it once done', async () => {
    const { logger, lines } = recordingLogger();
    // Retries spread over half a minute: a failure bound for "the first delivery finishes", not a timing the test needs.
    const bus = await connectBus(logger, { retryDelaysMs: [200, 500, 1000, 2000, 4000, 8000, 15_000] });
    const clock = new TestClock(new Date('2030-01-01T00:00:00Z'));
    let runs = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    await bus.subscribe(
      'concurrent',
      {
        'user.activated': async () => {
          runs++;
          started();
          await within(released, 30_000, 'the test to release the first delivery');
        },
      },
      { markers: connection, now: clock.now, leaseMs: 45_000 },
    );
    const event = userActivated(5);
    await bus.publish([event]);
    await within(running, 15_000, 'the first delivery to start');
    // The lease is measured by the clock the subscription was given.
    const id = markerId('mk', 'concurrent', 'user.activated', event.id);
    expect(await marker(id)).toMatchObject({
      state: 'processing',
      lease_until: new Date(clock.now().getTime() + 45_000),
      started_at: clock.now(),
    });

    await bus.publish([event]);
    await eventually(
      () =>
        lines.some(
          (l) =>
            l.msg === 'handler failed; retrying later' &&
            (l.obj.err as { code?: unknown })?.code === 'ALREADY_PROCESSING',
        ),
      {
        what: 'the duplicate to be sent to retry',
      },
    );
    release();
    await eventually(() => lines.some((l) => l.msg === 'duplicate message skipped'), { what: 'the retry to skip' });
    expect(runs).toBe(1);
    expect(await marker(id)).toMatchObject({ state: 'done' });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('removes the marker when the handler throws, so the retry runs it again', async () => {
    const bus = await connectBus(recordingLogger().logger);
    const attempts: number[] = [];
    await bus.subscribe(
      'throws',
      {
        'user.activated': async (_event, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt === 1) throw new Error('transient');
        },
      },
      { markers: connection },
    );
    const event = userActivated(6);
    await bus.publish([event]);
    await eventually(() => attempts.length === 2, { what: 'the retry' });
    expect(attempts).toEqual([1, 2]);
    await eventually(
      async () => (await marker(markerId('mk', 'throws', 'user.activated', event.id)))?.state === 'done',
      {
        what: 'the marker of the retry to be done',
      },
    );
  });

  it('dead-letters a message whose declared key is empty, and refuses a key without markers', async () => {
    const bus = await connectBus(recordingLogger().logger);
    const dlq = bus.names.dlq;
    await bus.subscribe(
      'empty-key',
      { 'user.activated': { handle: async () => {}, key: () => '' } },
      { markers: connection },
    );
    const event: DomainEvent = userActivated(10);
    await bus.publish([event]);
    const dead = await eventually(async () => (await raw.channel.get(dlq, { noAck: true })) || undefined, {
      what: 'the message in the DLQ',
    });
    expect(dead.properties.messageId).toBe(event.id);
    expect(dead.properties.headers?.['x-convene-error-code']).toBe('EMPTY_IDEMPOTENCY_KEY');

    await expect(
      bus.subscribe('no-markers', { 'user.activated': { handle: async () => {}, key: (e) => e.id } }),
    ).rejects.toThrow(
      new TypeError('subscribe: user.activated declares an idempotency key but the subscription keeps no markers'),
    );
  });
});
