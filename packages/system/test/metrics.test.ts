import { Bus, namesFor } from '@convene/bus';
import type { EventsService } from '@convene/events';
import { eventually, testInfra } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventBody, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { type Sample, samplesOf, scrape } from './support/prometheus-samples.ts';

/**
 * Every service's /metrics after real traffic through the gateway: each family Convene keeps has
 * a sample that moved. Each service answers with its own registry (several run in this process).
 */

let stack: SystemStack;
const texts: Record<string, string> = {};

const URL_OF = (name: string) => stack.services[name as keyof SystemStack['services']]!.url;
const samples = (service: string, name: string): Sample[] =>
  samplesOf(texts[service]!).filter((sample) => sample.name === name);
const nonZero = (service: string, name: string, labels: Record<string, string> = {}) =>
  samples(service, name).some(
    (sample) => sample.value > 0 && Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );

beforeAll(async () => {
  // No recovery of the move this test leaves in flight on purpose (it would be undone after 30 s).
  stack = await startSystem({ env: { events: { TXN_TIMEOUT_MS: '1h' } } });
  const host = await signUp(stack.api);
  const guest = await signUp(stack.api);

  const socket = new WebSocket(`${stack.url.replace(/^http/, 'ws')}/api/notifications/ws`, {
    headers: { authorization: `Bearer ${guest.token}` },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const event = await stack.api.post('/api/events', eventBody({ max_participants: 5 }), { token: host.token });
  expect(event.status, JSON.stringify(event.body)).toBe(201);
  const registered = await stack.api.post(`/api/events/${event.body.id}/register`, {}, { token: guest.token });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const invited = await stack.api.post(
    `/api/events/${event.body.id}/invitations`,
    { emails: ['metrics-invitee@example.com'] },
    { token: host.token },
  );
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  expect((await stack.api.get(`/api/events/${event.body.id}/feedback`, { token: host.token })).status).toBeLessThan(
    500,
  );
  await stack.smtp.waitFor((mail) => mail.to.includes('metrics-invitee@example.com'), 30_000);

  // A message that is no envelope: every queue bound to event.created dead-letters it.
  const bus = await Bus.connect({ url: testInfra().amqpUrl, service: 'metrics-test', namespace: stack.namespace });
  try {
    const channel = await bus.connection.model!.createChannel();
    channel.publish(namesFor(stack.namespace, 'metrics-test').exchange, 'event.created', Buffer.from('not json'));
    await channel.close();
  } finally {
    await bus.close();
  }

  // A move as a crash would leave it: begun (txn set), never finished.
  const events = stack.services.events!.service as unknown as EventsService;
  await events.store.registrations.updateOne(
    { _id: registered.body.id },
    { $set: { txn: { id: 'metrics-test-move', kind: 'register', fallback: null, reason: null, at: new Date() } } },
  );

  await eventually(
    async () => {
      for (const name of Object.keys(stack.services)) texts[name] = await scrape(URL_OF(name));
      texts.gateway = await scrape(stack.url);
      return (
        nonZero('notifier', 'convene_notifier_emails_total', { outcome: 'sent' }) &&
        nonZero('notifier', 'convene_bus_messages_total', { outcome: 'dead_lettered' }) &&
        nonZero('invitations', 'convene_bus_messages_total', { outcome: 'handled' }) &&
        nonZero('feedback', 'convene_bus_messages_total', { outcome: 'handled' }) &&
        nonZero('events', 'convene_bus_messages_total', { outcome: 'handled' })
      );
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'emails sent and messages handled and dead-lettered' },
  );
  socket.close();
  await events.store.registrations.updateOne({ _id: registered.body.id }, { $set: { txn: null } });
});

afterAll(async () => {
  await stack?.stop();
});

const SERVICES = ['auth', 'events', 'invitations', 'feedback', 'notifier'];

describe('/metrics of every service', () => {
  it.each(SERVICES)('%s counts its requests by route pattern and status, with durations', (service) => {
    const requests = samples(service, 'convene_http_requests_total');
    expect(requests.some((s) => s.value > 0 && s.labels.route?.startsWith('/api/') && s.labels.status)).toBe(true);
    // Patterns, never raw paths (ids would make a label value per resource).
    expect(requests.every((s) => !/[0-9a-f]{24}|[0-9a-f-]{36}/.test(s.labels.route ?? ''))).toBe(true);
    expect(nonZero(service, 'convene_http_request_duration_seconds_count')).toBe(true);
    expect(nonZero(service, 'convene_dependency_up', { dependency: 'mongo', required: 'true' })).toBe(true);
    expect(nonZero(service, 'convene_dependency_up', { dependency: 'bus', required: 'false' })).toBe(true);
    expect(nonZero(service, 'convene_process_resident_memory_bytes')).toBe(true);
  });

  // The notifier announces nothing through an outbox (its real-time notices are not domain events).
  it.each(['auth', 'events', 'invitations', 'feedback'])(
    '%s reports its outbox backlog and the age of the oldest waiting envelope',
    (service) => {
      // Drained by now (0): the readiness test shows them rising while the broker is away.
      expect(samples(service, 'convene_outbox_backlog').length).toBeGreaterThan(0);
      expect(samples(service, 'convene_outbox_oldest_age_seconds').length).toBeGreaterThan(0);
    },
  );

  it.each(['events', 'invitations', 'feedback', 'notifier'])(
    '%s counts the messages it consumed, by queue',
    (service) => {
      const handled = samples(service, 'convene_bus_messages_total').filter((s) => s.labels.outcome === 'handled');
      expect(handled.some((s) => s.value > 0 && s.labels.queue?.startsWith(`${stack.namespace}${service}.`))).toBe(
        true,
      );
      expect(nonZero(service, 'convene_bus_message_duration_seconds_count')).toBe(true);
    },
  );

  it('counts a dead-lettered message under its queue', () => {
    const dead = samples('notifier', 'convene_bus_messages_total').filter((s) => s.labels.outcome === 'dead_lettered');
    expect(dead.map((s) => [s.labels.queue, s.value])).toEqual([[`${stack.namespace}notifier.projections`, 1]]);
  });

  it('events reports seat moves in flight, on every replica (a move left by a crash among them)', () => {
    expect(samples('events', 'convene_events_seat_moves_in_flight').map((s) => s.value)).toEqual([1]);
  });

  it('notifier counts emails by outcome and its open WebSocket connections', () => {
    expect(nonZero('notifier', 'convene_notifier_emails_total', { outcome: 'sent' })).toBe(true);
    expect(samples('notifier', 'convene_notifier_websocket_connections').map((s) => s.value)).toEqual([1]);
  });

  it("the gateway answers /metrics with its own families only: no service's metrics are proxied", () => {
    expect(nonZero('gateway', 'gateway_http_requests_total')).toBe(true);
    expect(nonZero('gateway', 'convene_dependency_up', { dependency: 'events', required: 'false' })).toBe(true);
    expect(samples('gateway', 'convene_http_requests_total')).toEqual([]);
  });
});
