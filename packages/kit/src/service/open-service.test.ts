import { randomUUID } from 'node:crypto';
import { Bus, type OutboxRelay, outboxFields, withOutbox } from '@convene/bus';
import { type DomainEvent, envelope } from '@convene/contracts';
import { mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { every } from '../jobs/every.ts';
import { ensureIndexes } from '../mongo/ensure-indexes.ts';
import { capturedLogger } from '../test-helpers.ts';
import { openService, type ServiceParts } from './open-service.ts';

const { amqpUrl } = testInfra();
const namespace = `${uniqueName('kit_service')}.`;

function userActivated(userId: string): DomainEvent<'user.activated'> {
  return envelope({
    type: 'user.activated',
    source: 'auth',
    subject: userId,
    data: {
      user_id: userId,
      username: userId,
      email: `${userId}@example.com`,
      first_name: 'Ann',
      last_name: 'Example',
      role: 'user',
      status: 'active',
    },
    id: randomUUID(),
  });
}

const env = (database: string) => ({
  HOST: '127.0.0.1',
  PORT: 0,
  MONGO_URL: mongoUrlFor(database),
  AMQP_URL: amqpUrl,
  BUS_NAMESPACE: namespace,
});

describe('openService', () => {
  let probe: Bus;
  const received: string[] = [];
  beforeAll(async () => {
    probe = await Bus.connect({ url: amqpUrl, service: 'kit_probe', namespace });
    await probe.subscribe('seen', {
      'user.activated': async (event) => {
        received.push(event.data.user_id);
      },
    });
  });
  afterAll(async () => {
    await probe?.close();
  });

  it('serves health on both connections; stop() flushes the outbox before closing and is idempotent', async () => {
    const { logger } = capturedLogger();
    const service = await openService(
      { service: 'kit_demo', env: env(uniqueName('kit_service')), logger, now: () => new Date() },
      async (parts) => {
        const schema = new Schema({ name: String });
        schema.add(outboxFields);
        const Thing = parts.mongo.model('Thing', schema);
        await ensureIndexes([Thing]);
        // A poll so slow that only the flush on stop() can publish what is written below.
        const relay: OutboxRelay = parts.relay({ models: [Thing], pollMs: 600_000 });
        const ticks: number[] = [];
        parts.job(every({ name: 'tick', intervalMs: 600_000, run: async () => ticks.push(1), logger }));
        return { Thing, relay, ticks };
      },
    );
    const { url } = await service.start();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // Ready is the database; the broker is reported by /healthz (an outage of it is only degraded).
    expect(await ready.json()).toEqual({ status: 'ok', checks: { mongo: 'ok' } });
    const live = await fetch(`${url}/healthz`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok', checks: { bus: 'ok' } }]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^convene_dependency_up\{dependency="mongo",required="true"\} 1$/m);
    expect(metrics).toMatch(/^convene_dependency_up\{dependency="bus",required="false"\} 1$/m);
    expect(metrics).toMatch(/^convene_http_requests_total\{route="\/readyz",method="GET",status="200"\} 1$/m);

    const userId = `u_${randomUUID().slice(0, 8)}`;
    const thing = await service.Thing.create({ name: 'a' });
    await service.Thing.updateOne({ _id: thing._id }, withOutbox({ $set: { name: 'b' } }, [userActivated(userId)]));

    await Promise.all([service.stop(), service.stop()]);
    expect(service.mongo.readyState).toBe(0);
    expect(service.bus.isReady()).toBe(false);
    await expect(fetch(`${url}/healthz`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await expect.poll(() => received, { timeout: 10_000 }).toContain(userId);
  });

  it('closes the database and the bus again when the service refuses to boot', async () => {
    let parts: ServiceParts | undefined;
    await expect(
      openService(
        {
          service: 'kit_refused',
          env: env(uniqueName('kit_service')),
          logger: capturedLogger().logger,
          now: () => new Date(),
        },
        async (p) => {
          parts = p;
          p.job(every({ name: 'never', intervalMs: 600_000, run: async () => {}, logger: p.logger }));
          throw new Error('BOOTSTRAP_ADMIN_EMAIL: refused');
        },
      ),
    ).rejects.toThrow('BOOTSTRAP_ADMIN_EMAIL: refused');
    expect(parts?.mongo.readyState).toBe(0);
    expect(parts?.bus.isReady()).toBe(false);
  });
});

describe('openService marker pruning', () => {
  it('prunes the bus markers older than PROCESSED_RETENTION_MS once the service subscribes, and keeps newer ones', async () => {
    const { logger } = capturedLogger();
    const at = new Date('2026-06-01T00:00:00Z');
    const database = uniqueName('kit_service');
    const plain = await openService(
      { service: 'kit_plain', env: env(uniqueName('kit_service')), logger, now: () => at },
      async () => ({}),
    );
    try {
      expect(plain.markerPruning).toBeUndefined();
    } finally {
      await plain.stop();
    }

    const service = await openService(
      {
        service: 'kit_pruning',
        env: { ...env(database), PROCESSED_RETENTION_MS: 3_600_000, JOBS_ENABLED: false },
        logger,
        now: () => at,
      },
      async (parts) => {
        await parts.subscribe('pruned', { 'user.activated': async () => {} });
        return {};
      },
    );
    try {
      const markers = service.mongo.collection<{ _id: string; state: string; done_at: Date }>('processed_messages');
      await markers.insertMany([
        { _id: 'old', state: 'done', done_at: new Date(at.getTime() - 3_600_001) },
        { _id: 'edge', state: 'done', done_at: new Date(at.getTime() - 3_600_000) },
        { _id: 'new', state: 'done', done_at: new Date(at.getTime() - 1_000) },
      ]);
      expect(service.markerPruning).toBeDefined();
      await service.markerPruning!.runNow();
      const left = await markers.find({}, { projection: { _id: 1 } }).toArray();
      expect(left.map((m) => m._id).sort()).toEqual(['edge', 'new']);
      await service.mongo.dropDatabase();
    } finally {
      await service.stop();
    }
  });
});

describe('openService settleOnStop', () => {
  it('waits for settling work after the jobs stopped and before the database closes', async () => {
    const { logger } = capturedLogger();
    const order: string[] = [];
    let release!: () => void;
    const pending = new Promise<void>((resolve) => {
      release = resolve;
    });
    const service = await openService(
      { service: 'kit_settle', env: env(uniqueName('kit_service')), logger, now: () => new Date() },
      async (parts) => {
        parts.job({
          name: 'recorder',
          runNow: async () => {},
          async stop() {
            order.push('job stopped');
          },
        });
        parts.settleOnStop(async () => {
          order.push('settling');
          await pending;
          order.push(`settled, mongo state ${parts.mongo.readyState}`);
        });
        return {};
      },
    );
    const stopped = service.stop();
    await expect.poll(() => order.length).toBe(2);
    expect(service.mongo.readyState).toBe(1);
    release();
    await stopped;
    expect(order).toEqual(['job stopped', 'settling', 'settled, mongo state 1']);
    expect(service.mongo.readyState).toBe(0);
  });
});
