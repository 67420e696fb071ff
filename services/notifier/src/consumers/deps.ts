import type { Handler, KeyedHandler } from '@convene/bus';
import type { EventName } from '@convene/contracts';
import type { FlowDeps } from '../flows/deps.ts';

export type ConsumerDeps = FlowDeps;

type Flow<N extends EventName> = (deps: ConsumerDeps, message: Parameters<Handler<N>>[0]) => Promise<unknown>;

/**
 * A handler of the projections queue: runs its flow and logs what it did. The bus keeps its
 * marker (`notifier:projections:<event type>:<envelope id>`); the projections are idempotent by
 * themselves too (each write guarded by the message time, inbox entries keyed), so a message
 * handled twice — e.g. across the deploy that changed the marker ids — changes nothing.
 */
export function handler<N extends EventName>(deps: ConsumerDeps, consumer: string, flow: Flow<N>): Handler<N> {
  const run: Handler<N> = async (message, ctx) => {
    const result = await flow(deps, message);
    ctx.logger.debug({ event_id: message.id, type: message.type, result }, `${consumer} handled`);
  };
  Object.defineProperty(run, 'name', { value: consumer });
  return run;
}

/**
 * A handler of the mail queue: no bus marker. Everything a mail flow writes is keyed by the
 * message — deliveries `<envelope id>:<type>:<email>`, inbox entries `<envelope id>:<type>:<user>`,
 * projections guarded by the message time — and these writes are batched across the messages
 * handled at the same moment (decision 0063); so a redelivery, or the same message on two replicas
 * at once, writes nothing new and mails no one twice, and a burst pays no two marker writes per email.
 */
export function mailHandler<N extends EventName>(deps: ConsumerDeps, consumer: string, flow: Flow<N>): KeyedHandler<N> {
  return { handle: handler(deps, consumer, flow), markers: false };
}
