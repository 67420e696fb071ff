import type { FlowContext } from '../flows/context.ts';

/**
 * What the consumers work with: the flows' context, nothing else. The bus keeps their idempotency
 * markers (declared in subscriptions.ts); every flow they call is idempotent by its own business
 * ids as well (projections apply by message time, cancellations touch only pending invitations,
 * a reservation answer only an accepted one and never over a newer answer).
 */
export interface ConsumerDeps {
  flows: FlowContext;
}
