import { Bus, startOutboxRelay } from '@convene/bus';
import type { Logger } from '@convene/kit';
import type { Store } from '../store/store.ts';

/**
 * Publishes what a command wrote to the invitations' outbox before it exits: outside openService
 * nothing nudges a relay, so without this the running service's relay picks them up at its next
 * poll. Resolves with how many messages went out.
 */
export async function publishOutbox(opts: {
  amqpUrl: string;
  namespace: string;
  store: Store;
  logger: Logger;
  now: () => Date;
}): Promise<number> {
  const bus = await Bus.connect({
    url: opts.amqpUrl,
    service: 'invitations',
    namespace: opts.namespace,
    logger: opts.logger,
  });
  const relay = startOutboxRelay({
    bus,
    models: [opts.store.invitations],
    logger: opts.logger,
    pollMs: 60_000,
    now: opts.now,
  });
  try {
    await relay.drain();
  } finally {
    await relay.stop();
    await bus.close();
  }
  return relay.stats().published;
}
