import { eventually, mongoUrlFor, startTcpProxy, type TcpProxy, testInfra, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { sampleValue, scrape } from './support/prometheus-samples.ts';

/**
 * Readiness means "can serve its API", not "everything is up": the events service reaches RabbitMQ
 * and its MongoDB through TCP proxies this test cuts. Without the broker it keeps answering (its
 * writes wait in the outbox) and stays ready, reporting the degraded state; without its database
 * it is not ready and answers 503 instead of hanging.
 */

let stack: SystemStack;
let broker: TcpProxy;
let database: TcpProxy;
let host: Awaited<ReturnType<typeof signUp>>;
let eventsUrl: string;

/** Long enough for the bus's reconnect backoff and the driver's server selection on a loaded machine. */
const OUTAGE_BOUND = { timeoutMs: 40_000, intervalMs: 100 };

beforeAll(async () => {
  const { amqpUrl } = testInfra();
  const amqp = new URL(amqpUrl);
  broker = await startTcpProxy(amqp.hostname, Number(amqp.port || 5672));
  const mongoUrl = new URL(mongoUrlFor(uniqueName('readiness_events')));
  database = await startTcpProxy(mongoUrl.hostname, Number(mongoUrl.port || 27017));
  stack = await startSystem({
    services: ['auth', 'events'],
    env: { events: { AMQP_URL: broker.url(amqpUrl), MONGO_URL: database.url(mongoUrl.toString()) } },
  });
  eventsUrl = stack.services.events!.url;
  host = await signUp(stack.api);
});

afterAll(async () => {
  await stack?.stop();
  await broker?.close();
  await database?.close();
});

const json = async (path: string) => {
  const res = await fetch(`${eventsUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('a service whose broker goes away', () => {
  it('keeps serving and stays ready, reporting the degraded state; the write is published once the broker is back', async () => {
    expect(await json('/healthz')).toEqual({ status: 200, body: { status: 'ok', checks: { bus: 'ok' } } });

    await broker.stop();
    await eventually(async () => (await json('/healthz')).body.status === 'degraded', {
      ...OUTAGE_BOUND,
      what: 'events /healthz degraded',
    });
    const live = await json('/healthz');
    expect(live.status).toBe(200);
    expect(live.body.checks).toEqual({ bus: 'failed' });
    expect(await json('/readyz')).toEqual({ status: 200, body: { status: 'ok', checks: { mongo: 'ok' } } });
    // Through the gateway too: it does not drop out because a service is degraded.
    expect((await stack.api.get('/readyz')).status).toBe(200);

    const created = await stack.api.post('/api/events', eventBody(), { token: host.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await stack.api.get(`/api/events/${created.body.id}`, { token: host.token })).status).toBe(200);

    const metrics = await scrape(eventsUrl);
    expect(sampleValue(metrics, 'convene_dependency_up', { dependency: 'bus', required: 'false' })).toBe(0);
    expect(sampleValue(metrics, 'convene_dependency_up', { dependency: 'mongo', required: 'true' })).toBe(1);
    // The new event waits in its document's outbox while nothing can be published.
    expect(sampleValue(metrics, 'convene_outbox_backlog', { collection: 'events' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'convene_outbox_oldest_age_seconds', { collection: 'events' })).toBeGreaterThan(0);
    expect(stack.probe.received.some((e) => e.type === 'event.created' && e.subject === created.body.id)).toBe(false);

    await broker.start();
    const published = await stack.probe.waitFor('event.created', (e) => e.subject === created.body.id, 60_000);
    expect(published.data.title).toBe(created.body.title);
    await eventually(async () => (await json('/healthz')).body.status === 'ok', {
      ...OUTAGE_BOUND,
      what: 'events /healthz ok again',
    });
    const after = await scrape(eventsUrl);
    expect(sampleValue(after, 'convene_dependency_up', { dependency: 'bus', required: 'false' })).toBe(1);
    await eventually(
      async () => sampleValue(await scrape(eventsUrl), 'convene_outbox_backlog', { collection: 'events' }) === 0,
      { ...OUTAGE_BOUND, what: 'the outbox drained' },
    );
  });
});

describe('a service whose database goes away', () => {
  it('is not ready, and answers 503 problem+json rather than hanging; ready again once it is back', async () => {
    const created = await stack.api.post('/api/events', eventBody(), { token: host.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    await database.stop();
    const notReady = await eventually(
      async () => {
        const res = await fetch(`${eventsUrl}/readyz`);
        return res.status === 503 && res;
      },
      { ...OUTAGE_BOUND, what: 'events /readyz 503' },
    );
    expect(notReady.headers.get('content-type')).toBe('application/problem+json');
    expect(await notReady.json()).toMatchObject({ code: 'NOT_READY', failed: ['mongo'] });
    // Alive all the same: restarting the process would not bring the database back.
    expect((await fetch(`${eventsUrl}/healthz`)).status).toBe(200);

    // Through the gateway, whose own wait for an answer (15 s) would turn a hang into a 504.
    const started = performance.now();
    const read = await stack.api.get(`/api/events/${created.body.id}`, { token: host.token });
    const seconds = (performance.now() - started) / 1000;
    expectProblem(read, 503, { code: 'DATABASE_UNAVAILABLE' });
    expect(read.headers.get('retry-after')).toBe('5');
    expect(seconds, 'answered within the database timeouts (server selection, buffering)').toBeLessThan(15);

    await database.start();
    await eventually(async () => (await fetch(`${eventsUrl}/readyz`)).status === 200, {
      ...OUTAGE_BOUND,
      what: 'events /readyz 200 again',
    });
    await eventually(
      async () => (await stack.api.get(`/api/events/${created.body.id}`, { token: host.token })).status === 200,
      { ...OUTAGE_BOUND, what: 'the event readable again' },
    );
  });
});
