/** How a delivery ended: its handler returned, it went to a wait queue, or to the dead-letter queue. */
export type DeliveryOutcome = 'handled' | 'retried' | 'dead_lettered';

export interface ObservedDelivery {
  /** The queue it was consumed from (`<ns><service>.<purpose>`). */
  queue: string;
  /** The event type it was published with (a message that is not an envelope keeps the broker's key). */
  routingKey: string;
  outcome: DeliveryOutcome;
  /** From taking the delivery to settling it (handler and the move to a wait queue or DLQ included). */
  seconds: number;
}

/**
 * Told about every settled delivery, so a service can count them (its metrics) without the bus
 * knowing how they are kept. It must not throw; whatever it throws is ignored.
 */
export type DeliveryObserver = (delivery: ObservedDelivery) => void;
