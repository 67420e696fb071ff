import { randomUUID } from 'node:crypto';
import type { Bus } from '@convene/bus';
import { type Probe, startProbe } from '@convene/bus/testing';
import { type DomainEvent, type EventName, envelope } from '@convene/contracts';
import { eventually, testInfra } from '@convene/testing';

export type { Probe };

/** @convene/bus's probe on the test's namespace: records what the service publishes. */
export function startProbeOn(namespace: string, names: readonly EventName[]): Promise<Probe> {
  return startProbe({ url: testInfra().amqpUrl, namespace, names });
}

/** The messages of one type the probe has received so far. */
export function receivedOf<N extends EventName>(probe: Probe, type: N): DomainEvent<N>[] {
  return probe.received.filter((m) => m.type === type) as DomainEvent<N>[];
}

/** Resolves once `holds()` is true of what has arrived (checked as messages come in), or rejects after `timeoutMs`. */
export async function until(holds: () => boolean, timeoutMs = 15_000, what = 'messages'): Promise<void> {
  await eventually(() => holds(), { timeoutMs, intervalMs: 20, what });
}

/**
 * Resolves once `probe` has received everything published to its queue before this call:
 * publishes a marker (a registration.rejected for no real event, which the probe must record and
 * no consumer of the events service reads) and waits for it, the queue being first in, first out.
 * For "nothing else arrived" checks: everything the service published before is then in
 * `probe.received`, without waiting a fixed time.
 */
export async function caughtUp(probe: Probe, bus: Bus, timeoutMs = 20_000): Promise<void> {
  const marker = envelope({
    type: 'registration.rejected',
    source: 'test',
    subject: `marker-${randomUUID()}`,
    data: {
      event_id: `marker-${randomUUID()}`,
      invitation_id: null,
      attendee: { user_id: null, email: 'marker@example.com', name: 'Marker' },
      reason: 'event_not_found',
    },
  });
  await bus.publish([marker]);
  await probe.waitFor('registration.rejected', (m) => m.id === marker.id, timeoutMs);
}
