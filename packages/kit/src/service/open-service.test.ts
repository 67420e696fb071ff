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
      { service: 'kit_demo', env: env(uniqueName('kit_service')), logger },
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
    expect(await ready.json()).toEqual({ status: 'ok', checks: { mongo: 'ok', bus: 'ok' } });

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
        { service: 'kit_refused', env: env(uniqueName('kit_service')), logger: capturedLogger().logger },
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
