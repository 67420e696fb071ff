import type { FlowContext } from '../flows/context.ts';

/**
 * What the consumers work with: the flows' context, nothing else. The bus keeps their idempotency
 * markers (declared in subscriptions.ts); every flow they call is idempotent by its own business
 * ids as well (projection updates guarded by the message time, the deletion by its tombstone), so
 * a message handled twice — e.g. across the deploy that changed the marker ids — changes nothing
 * the second time.
 */
export interface ConsumerDeps {
  flows: FlowContext;
}
