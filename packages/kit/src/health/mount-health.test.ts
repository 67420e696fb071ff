import { mongoUrlFor, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { connectMongo } from '../mongo/connect-mongo.ts';
import { capturedLogger, latch } from '../test-helpers.ts';
import { dependencyStates } from './dependency-states.ts';
import { mongoReady } from './mongo-ready.ts';
import { mountHealth } from './mount-health.ts';

/** A check budget no real ping misses, however busy the machine: the test's own timeout is the bound. */
const NO_HURRY_MS = 20_000;

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

  it('answers /healthz with 200 while the process lives, whatever its required checks say', async () => {
    const { app } = appWith({ ready: { broken: () => false } });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports a failed degraded check in /healthz, still 200, while /readyz stays 200', async () => {
    let brokerUp = false;
    const { app } = appWith({ ready: { mongo: () => true }, degraded: { bus: () => brokerUp } });
    const down = await app.request('/healthz');
    expect(down.status).toBe(200);
    expect(await down.json()).toEqual({ status: 'degraded', checks: { bus: 'failed' } });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { mongo: 'ok' } });

    brokerUp = true;
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok', checks: { bus: 'ok' } });
  });

  it('logs a dependency going away once, and its return once, however often it is asked', async () => {
    const { logger, lines } = capturedLogger('events');
    const verdicts: string[] = [];
    const states = dependencyStates({
      logger,
      onVerdict: (name, required, up) => verdicts.push(`${name} ${required} ${up}`),
    });
    const app = createApp({ service: 'events', logger });
    let brokerUp = true;
    const health = mountHealth(app, { ready: { mongo: () => true }, degraded: { bus: () => brokerUp }, states });
    await app.request('/healthz');
    brokerUp = false;
    for (let i = 0; i < 3; i++) await app.request('/healthz');
    await health.checkAll();
    brokerUp = true;
    for (let i = 0; i < 3; i++) await app.request('/healthz');

    const about = lines.filter((line) => line.dependency === 'bus');
    expect(about.map((line) => [line.level, line.msg])).toEqual([
      ['warn', 'bus is unavailable; degraded until it is back'],
      ['info', 'bus is available again'],
    ]);
    expect(about[0]).toMatchObject({ required: false, reason: 'failed' });
    expect(verdicts.filter((v) => v.startsWith('bus'))).toEqual([
      'bus false true',
      ...Array(4).fill('bus false false'),
      ...Array(3).fill('bus false true'),
    ]);
    expect(verdicts).toContain('mongo true true');
  });

  it('answers /readyz with 200 when every check passes', async () => {
    const { app } = appWith({
      timeoutMs: NO_HURRY_MS,
      ready: { mongo: () => mongoReady(mongo), bus: () => true, sync: () => undefined },
    });
    const res = await app.request('/readyz/');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { mongo: 'ok', bus: 'ok', sync: 'ok' } });
  });

  it('answers /readyz with a 503 problem naming what failed', async () => {
    const { app } = appWith({
      timeoutMs: NO_HURRY_MS,
      ready: {
        mongo: () => mongoReady(mongo),
        bus: () => false,
        cache: async () => {
          throw new Error('cache down');
        },
      },
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 503,
      code: 'NOT_READY',
      failed: ['bus', 'cache'],
      checks: { mongo: 'ok', bus: 'failed', cache: 'failed: cache down' },
    });
    expect(body.detail).toBe('Not ready: bus, cache.');
  });

  it('counts a check that outlasts timeoutMs as failed, without waiting for it', async () => {
    const stuck = latch<boolean>();
    // `ok` answers at once (before any timer can fire); `stuck` answers only when released, after the response.
    const { app } = appWith({ timeoutMs: 50, ready: { ok: () => true, stuck: () => stuck.promise } });
    try {
      const res = await app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        code: 'NOT_READY',
        failed: ['stuck'],
        checks: { ok: 'ok', stuck: 'timed out after 50 ms' },
        detail: 'Not ready: stuck.',
      });
    } finally {
      stuck.open(true);
    }
  });

  it('waits for a slow check that answers within timeoutMs, running all checks at once', async () => {
    const started = { first: latch(), second: latch() };
    const answer = { first: latch<boolean>(), second: latch<boolean>() };
    const { app } = appWith({
      timeoutMs: NO_HURRY_MS,
      ready: {
        first: () => {
          started.first.open();
          return answer.first.promise;
        },
        second: () => {
          started.second.open();
          return answer.second.promise;
        },
      },
    });
    const response = app.request('/readyz');
    // Both have started while neither has answered: checks one after another would never get here.
    await Promise.all([started.first.promise, started.second.promise]);
    answer.second.open(true);
    answer.first.open(false);
    const res = await response;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ failed: ['first'], checks: { first: 'failed', second: 'ok' } });
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
    await expect(mongoReady(mongo)).rejects.toThrow(new Error('mongo connection state 0'));
  });
});
