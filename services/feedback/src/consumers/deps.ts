import type { Store } from '../store/store.ts';

/**
 * What the consumers work with. The bus keeps their idempotency markers (parts.subscribe, marker
 * `feedback:projection:<event type>:<envelope id>`); every flow they call is idempotent by its own
 * business ids as well (projection updates guarded by the message time, the deletion by its
 * tombstone), so a message handled twice — e.g. across the deploy that changed the marker ids —
 * changes nothing the second time.
 */
export interface ConsumerDeps {
  store: Store;
}
