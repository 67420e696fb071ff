import type { Handler } from '@convene/bus';
import type { EventName } from '@convene/contracts';
import type { FlowDeps } from '../flows/deps.ts';

export type ConsumerDeps = FlowDeps & {
  /** The bus's `once`, with its marker writes batched across concurrent messages (once-in-batches.ts). */
  once: (consumer: string, envelopeId: string, fn: () => Promise<unknown>) => Promise<boolean>;
};

/**
 * A handler that runs its flow at most once in effect per envelope id (the bus's `once` semantics,
 * marker `notifier:<consumer>:<id>`, see once-in-batches.ts). The flows are idempotent by business key as well (the delivery
 * and inbox keys), so a marker lost to a crash still sends nothing twice.
 */
export function handler<N extends EventName>(
  deps: ConsumerDeps,
  consumer: string,
  flow: (deps: ConsumerDeps, message: Parameters<Handler<N>>[0]) => Promise<unknown>,
): Handler<N> {
  const run: Handler<N> = async (message, ctx) => {
    await deps.once(`notifier:${consumer}`, message.id, async () => {
      const result = await flow(deps, message);
      ctx.logger.debug({ event_id: message.id, type: message.type, result }, `${consumer} handled`);
    });
  };
  Object.defineProperty(run, 'name', { value: consumer });
  return run;
}
