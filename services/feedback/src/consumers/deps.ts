import type { Store } from '../store/store.ts';

export interface ConsumerDeps {
  store: Store;
}

/** The once(...) key of a consumer: one marker per (consumer, envelope id). */
export const consumerKey = (name: string) => `feedback:${name}`;
