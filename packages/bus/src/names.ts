/**
 * Every exchange and queue name the bus declares, in one place. `ns` is a prefix that keeps
 * test runs (and anything else sharing a broker) apart; it is usually '' in production.
 */
export interface Names {
  exchange: string;
  unrouted: string;
  dlq: string;
  queue(purpose: string): string;
  retryQueue(queue: string, delayMs: number): string;
}

export function namesFor(ns: string, service: string): Names {
  return {
    exchange: `${ns}convene.events`,
    unrouted: `${ns}convene.unrouted`,
    dlq: `${ns}${service}.dlq`,
    queue: (purpose) => `${ns}${service}.${purpose}`,
    retryQueue: (queue, delayMs) => `${queue}.retry.${delayMs}`,
  };
}
