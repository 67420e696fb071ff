import type { DomainEvent, EventName } from '@convene/contracts';
import { Bus } from '../bus.ts';

export interface ProbeOptions {
  url: string;
  /** The namespace of the service under test (its exchange). */
  namespace: string;
  /** The event types to record. */
  names: readonly EventName[];
  /** How long `waitFor` waits by default. A loaded 2-core CI machine can hold confirms back for seconds. */
  timeoutMs?: number;
}

export type Probe = Awaited<ReturnType<typeof startProbe>>;

/**
 * A consumer of its own on the real broker that records the domain events it receives, for tests
 * that assert on what a service published.
 */
export async function startProbe({ url, namespace, names, timeoutMs: defaultTimeoutMs = 20_000 }: ProbeOptions) {
  const bus = await Bus.connect({ url, service: 'probe', namespace });
  const received: DomainEvent[] = [];
  const handlers = Object.fromEntries(
    names.map((name) => [
      name,
      async (event: DomainEvent) => {
        received.push(event);
      },
    ]),
  );
  const subscription = await bus.subscribe('inbox', handlers as never);
  return {
    received,
    /** The first received event of this type matching the predicate, waiting up to `timeoutMs`. */
    async waitFor<N extends EventName>(
      type: N,
      predicate: (event: DomainEvent<N>) => boolean = () => true,
      timeoutMs = defaultTimeoutMs,
    ): Promise<DomainEvent<N>> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = received.find((e) => e.type === type && predicate(e as DomainEvent<N>));
        if (hit) return hit as DomainEvent<N>;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${type} within ${timeoutMs} ms; got ${received.map((e) => e.type).join(', ') || 'nothing'}`);
    },
    async stop() {
      await subscription.cancel();
      await bus.close();
    },
  };
}
