import type { FlowContext } from '../flows/context.ts';

/** What the handlers call: the flows (kit's subscribe keeps the once-markers and nudges the relay). */
export interface ConsumerDeps {
  flows: FlowContext;
}
