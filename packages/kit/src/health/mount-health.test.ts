import { mongoUrlFor, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { connectMongo } from '../mongo/connect-mongo.ts';
import { capturedLogger } from '../test-helpers.ts';
import { mongoReady } from './mongo-ready.ts';
import { mountHealth } from './mount-health.ts';

function appWith(checks: Parameters<typeof mountHealth>[1]) {
  const { logger, lines } = capturedLogger();
  const app = createApp({ service: 'events', logger });
  mountHealth(app, checks);
  return { app, lines };
}

describe('mountHealth', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectMongo(mongoUrlFor(uniqueName('kit_health')));
  });
  afterAll(async () => {
    await mongo?.close();
  });

  it('answers /healthz with 200 while the process lives, checks or not', async () => {
    const { app } = appWith({ checks: { broken: () => false } });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when every check passes', async () => {
    const { app } = appWith({ checks: { mongo: () => mongoReady(mongo), bus: () => true, sync: () => undefined } });
    const res = await app.request('/readyz/');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { mongo: 'ok', bus: 'ok', sync: 'ok' } });
  });

  it('answers /readyz with a 503 problem naming what failed', async () => {
    const { app } = appWith({
      timeoutMs: 100,
      checks: {
        mongo: () => mongoReady(mongo),
        bus: () => false,
        cache: async () => {
          throw new Error('cache down');
        },
        slow: () => new Promise((resolve) => setTimeout(resolve, 1_000)),
      },
    });
    const started = Date.now();
    const res = await app.request('/readyz');
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 503,
      code: 'NOT_READY',
      failed: ['bus', 'cache', 'slow'],
      checks: { mongo: 'ok', bus: 'failed', cache: 'failed: cache down', slow: 'timed out after 100 ms' },
    });
    expect(body.detail).toBe('Not ready: bus, cache, slow.');
  });

  it('logs probes at debug so they do not drown the log', async () => {
    const { app, lines } = appWith({});
    await app.request('/healthz');
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ level: 'debug', path: '/healthz' });
  });
});

describe('mongoReady', () => {
  it('pings an open connection', async () => {
    const mongo = await connectMongo(mongoUrlFor(uniqueName('kit_ready')));
    try {
      expect(await mongoReady(mongo)).toBe(true);
    } finally {
      await mongo.close();
    }
    await expect(mongoReady(mongo)).rejects.toThrow(/state 0/);
  });
});
