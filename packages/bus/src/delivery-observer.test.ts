import { eventually, testInfra, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus.ts';
import type { ObservedDelivery } from './delivery-observer.ts';
import { userActivated } from './test-support/envelopes.ts';
import { testLogger } from './test-support/test-logger.ts';

describe('observeDeliveries', () => {
  const namespace = `${uniqueName('bus_observe')}.`;
  const observed: ObservedDelivery[] = [];
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({
      url: testInfra().amqpUrl,
      service: 'obs',
      namespace,
      retryDelaysMs: [100],
      logger: testLogger('observe'),
      observeDeliveries: (delivery) => {
        observed.push(delivery);
        // A throwing observer changes nothing about how the delivery is settled.
        throw new Error('observer trouble');
      },
    });
  });
  afterAll(async () => {
    await bus?.close({ timeoutMs: 1000 });
  });

  it('is told how every delivery ended: handled, retried, dead-lettered, by queue and routing key', async () => {
    const fine = userActivated(1);
    const flaky = userActivated(2);
    let flakyAttempts = 0;
    const handled: string[] = [];
    await bus.subscribe('watched', {
      'user.activated': (event) => {
        if (event.id === flaky.id && ++flakyAttempts <= 2) throw new Error(`attempt ${flakyAttempts} fails`);
        handled.push(event.id);
      },
    });
    await bus.publish([fine, flaky]);
    // flaky: attempt 1 → retried (one delay), attempt 2 → no delay left → dead-lettered.
    await eventually(() => observed.length === 3, { timeoutMs: 15_000, what: 'three settled deliveries' });

    const queue = `${namespace}obs.watched`;
    expect(handled).toEqual([fine.id]);
    expect(observed.map(({ outcome }) => outcome).sort()).toEqual(['dead_lettered', 'handled', 'retried']);
    for (const delivery of observed) {
      expect(delivery).toMatchObject({ queue, routingKey: 'user.activated' });
      expect(delivery.seconds).toBeGreaterThanOrEqual(0);
    }
  });
});
