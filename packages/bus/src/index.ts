export { Bus } from './bus.ts';
export type { DeliveryObserver, DeliveryOutcome, ObservedDelivery } from './delivery-observer.ts';
export { type DrainOnNudge, type DrainOnNudgeOptions, drainOnNudge } from './drain-on-nudge.ts';
export { isPermanent, PermanentError, PublishError, type PublishFailure } from './errors.ts';
export type { Handler, HandlerContext, HandlerEntry, Handlers, KeyedHandler, OnlyEventNames } from './handlers.ts';
export { markerId, type SubscribeOptions } from './idempotency/keep-markers.ts';
export {
  AlreadyProcessingError,
  type OnceOptions,
  once,
  PROCESSED_COLLECTION,
  pruneProcessedMessages,
} from './idempotency/once.ts';
export type { Logger } from './logger.ts';
export { duplicateKeyIndexes, isDuplicateKey } from './mongo/duplicate-key.ts';
export { type Names, namesFor } from './names.ts';
export type { BusOptions } from './options.ts';
export { outboxFields } from './outbox/outbox-fields.ts';
export {
  type OutboxModel,
  type OutboxRelay,
  type OutboxRelayOptions,
  startOutboxRelay,
} from './outbox/outbox-relay.ts';
export { withOutbox } from './outbox/with-outbox.ts';
export type { Subscription } from './subscription.ts';
export { markSpanFailed } from './tracing.ts';
