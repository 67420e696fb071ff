import type { FlowContext } from '../flows/context.ts';

/** What the handlers call: the flows (kit's subscribe keeps the markers that subscriptions.ts asks for). */
export interface ConsumerDeps {
  flows: FlowContext;
}
