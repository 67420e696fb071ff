import { randomUUID } from 'node:crypto';
import {
  Bus,
  markerId,
  type OutboxRelay,
  outboxFields,
  PermanentError,
  PROCESSED_COLLECTION,
  withOutbox,
} from '@convene/bus';
import { type Probe, startProbe } from '@convene/bus/testing';
import { type DomainEvent, envelope } from '@convene/contracts';
import { mongoUrlFor, TestClock, testInfra, uniqueName } from '@convene/testing';
import { type Model, Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { every, type Job } from '../jobs/every.ts';
import { ensureIndexes } from '../mongo/ensure-indexes.ts';
import { capturedLogger } from '../test-helpers.ts';
import { type OpenedService, openService } from './open-service.ts';

const { amqpUrl } = testInfra();
const namespace = `${uniqueName('kit_nudge')}.`;

function user(type: 'user.activated' | 'user.deactivated', userId: string): DomainEvent {
  return envelope({
    type,
    source: 'auth',
    subject: userId,
    data: {
      user_id: userId,
      username: userId,
      email: `${userId}@example.com`,
      first_name: 'Ann',
      last_name: 'Example',
      role: 'user',
      status: type === 'user.activated' ? 'active' : 'disabled',
    },
    id: randomUUID(),
  });
}

interface Thing {
  name?: string | null;
}

type Demo = OpenedService<{ Thing: Model<Thing>; relay: OutboxRelay; writer: Job }>;

/**
 * The relay polls every ten minutes, far beyond any wait below: whatever the probe receives was
 * published by a nudge (a handled message, a successful write request, a job run), never the poll.
 */
describe('openService nudges the outbox relays', { timeout: 60_000 }, () => {
  // An hour ahead and standing still: the relay (which claims what is due by this clock) and the
  // markers (whose times are asserted exactly) both read it.
  const clock = new TestClock(new Date(Date.now() + 3_600_000));
  const { logger, lines } = capturedLogger('kit_nudge');
  let service: Demo;
  let url: string;
  let probe: Probe;
  let publisher: Bus;

  const write = (userId: string) =>
    service.Thing.create({ name: userId }).then((thing) =>
      service.Thing.updateOne(
        { _id: thing._id },
        withOutbox({ $set: { name: userId } }, [user('user.activated', userId)]),
      ),
    );

  beforeAll(async () => {
    probe = await startProbe({ url: amqpUrl, namespace, names: ['user.activated'] });
    publisher = await Bus.connect({ url: amqpUrl, service: 'kit_nudge_publisher', namespace });
    service = await openService(
      {
        service: 'kit_nudge',
        env: {
          HOST: '127.0.0.1',
          PORT: 0,
          MONGO_URL: mongoUrlFor(uniqueName('kit_nudge')),
          AMQP_URL: amqpUrl,
          BUS_NAMESPACE: namespace,
        },
        logger,
        now: clock.now,
      },
      async (parts) => {
        const schema = new Schema({ name: String });
        schema.add(outboxFields);
        const Thing: Model<Thing> = parts.mongo.model('Thing', schema);
        await ensureIndexes([Thing]);
        const relay = parts.relay({ models: [Thing], pollMs: 600_000 });

        parts.app.post('/things/:name', async (c) => {
          await write(c.req.param('name'));
          return c.json({ ok: true }, 201);
        });
        parts.app.post('/refused/:name', async (c) => {
          await write(c.req.param('name'));
          return c.json({ refused: true }, 409);
        });
        // A read that writes anyway (HEAD is answered by the GET route): even then, no nudge.
        parts.app.on(['GET', 'OPTIONS'], '/things/:name', async (c) => {
          await write(c.req.param('name'));
          return c.json({ ok: true });
        });
        await parts.subscribe('work', {
          'user.deactivated': async (event) => {
            if (event.data.user_id.startsWith('fail-')) throw new PermanentError('refused on purpose');
            await write(`from-${event.data.user_id}`);
          },
        });
        const writer = parts.job(
          every({ name: 'writer', intervalMs: 600_000, run: () => write(`job-${randomUUID().slice(0, 8)}`), logger }),
        );
        return { Thing, relay, writer };
      },
    );
    ({ url } = await service.start());
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await probe?.stop();
  });

  it('after a consumer handler returns: what it wrote is published, and its marker kept on parts.now', async () => {
    const userId = `u_${randomUUID().slice(0, 8)}`;
    const message = user('user.deactivated', userId);
    await publisher.publish([message]);
    await probe.waitFor('user.activated', (e) => e.data.user_id === `from-${userId}`);
    expect(service.now).toBe(clock.now);
    const marker = await service.mongo
      .collection(PROCESSED_COLLECTION)
      .findOne({ _id: markerId('kit_nudge', 'work', 'user.deactivated', message.id) as never });
    expect(marker).toMatchObject({ state: 'done', started_at: clock.now(), done_at: clock.now(), lease_until: null });
  });

  it('after a successful write request (status < 400)', async () => {
    const userId = `u_${randomUUID().slice(0, 8)}`;
    const response = await fetch(`${url}/things/${userId}`, { method: 'POST' });
    expect(response.status).toBe(201);
    await probe.waitFor('user.activated', (e) => e.data.user_id === userId);
  });

  it('after each job run', async () => {
    const before = probe.received.length;
    await service.writer.runNow();
    await probe.waitFor('user.activated', (e) => e.data.user_id.startsWith('job-'));
    expect(probe.received.length).toBe(before + 1);
  });

  it('not after a read, a refused request or a handler that failed', async () => {
    const nudge = vi.spyOn(service.relay, 'nudge');
    try {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        const response = await service.app.request(`/things/read-${method}`, { method });
        expect(response.status).toBeLessThan(400);
      }
      expect((await service.app.request('/refused/x', { method: 'POST' })).status).toBe(409);
      expect((await service.app.request('/nowhere', { method: 'POST' })).status).toBe(404);
      expect(nudge).toHaveBeenCalledTimes(0);

      await publisher.publish([user('user.deactivated', `fail-${randomUUID().slice(0, 8)}`)]);
      await expect
        .poll(() => lines.some((l) => l.msg === 'handler failed; message dead-lettered'), { timeout: 20_000 })
        .toBe(true);
      expect(nudge).toHaveBeenCalledTimes(0);

      // The same spy sees the positive case, so a spy that could not see calls would fail here.
      expect((await service.app.request('/things/spied', { method: 'POST' })).status).toBe(201);
      expect(nudge).toHaveBeenCalledTimes(1);
    } finally {
      nudge.mockRestore();
    }
  });
});
