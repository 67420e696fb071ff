import type { DeliveryObserver } from '@convene/bus';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a cached read (1 ms) to a request the gateway would already have timed out. */
export const HTTP_DURATION_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, event loop, GC), collected once per process however many
 * services it runs (tests run several): each collector keeps an event-loop monitor and GC observer
 * running for the life of the process, so one per service instance would pile up.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'convene_' });
  }
  return processRegistry;
}

/** A gauge read when scraped: `read` answers its value, or one value per label set. */
export interface ScrapedGauge<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  read(): Promise<number | Array<{ labels: Record<L, string>; value: number }>>;
}

/**
 * The Prometheus metrics of one service instance, in a registry of its own (tests run several
 * services in one process, each answering /metrics with only its own). Every name starts with
 * `convene_`: the families every service has (HTTP, bus deliveries, outbox, dependencies, the
 * process) carry the same names everywhere, so one dashboard reads them all, told apart by the
 * scrape's job.
 */
export function createServiceMetrics() {
  const registry = new Registry();

  const requests = new Counter({
    name: 'convene_http_requests_total',
    help: 'Requests answered, by matched route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'convene_http_request_duration_seconds',
    help: 'Time from request to answer, by matched route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'convene_bus_messages_total',
    help: 'Deliveries settled, by queue and outcome (handled, retried, dead_lettered).',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'convene_bus_message_duration_seconds',
    help: 'Time to settle one delivery (handler, and the move to a wait queue or DLQ), by queue.',
    labelNames: ['queue'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  const dependencyUp = new Gauge({
    name: 'convene_dependency_up',
    help: 'Whether a dependency answered its last check (1) or not (0), by dependency.',
    labelNames: ['dependency', 'required'] as const,
    registers: [registry],
  });

  const observeDeliveries: DeliveryObserver = ({ queue, outcome, seconds }) => {
    deliveries.inc({ queue, outcome });
    handling.observe({ queue }, seconds);
  };

  return {
    registry,
    /** One answered request; `route` is the pattern that matched (`/api/events/:id`), never the raw path. */
    observeRequest(route: string, method: string, status: number, seconds: number) {
      const m = METHODS.has(method) ? method : 'OTHER';
      requests.inc({ route, method: m, status: String(status) });
      duration.observe({ route, method: m }, seconds);
    },
    /** For the bus's `observeDeliveries` option. */
    observeDeliveries,
    /** The last verdict of a dependency check (required: readiness; not: a degraded state). */
    dependency(name: string, required: boolean, up: boolean) {
      dependencyUp.set({ dependency: name, required: String(required) }, up ? 1 : 0);
    },
    /** A counter of the service's own (e.g. emails by outcome). */
    counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
      return new Counter<L>({ name, help, labelNames, registers: [registry] });
    },
    /** A gauge of the service's own, set as things happen. */
    gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []) {
      return new Gauge<L>({ name, help, labelNames, registers: [registry] });
    },
    /**
     * A gauge computed when scraped (a count in the database, the size of a set). A read that
     * fails leaves the family without a sample for that scrape, rather than failing the scrape.
     */
    scraped<L extends string>({ name, help, labelNames = [], read }: ScrapedGauge<L>) {
      return new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          let value: Awaited<ReturnType<typeof read>>;
          try {
            value = await read();
          } catch {
            return;
          }
          if (typeof value === 'number') this.set(value);
          else for (const sample of value) this.set(sample.labels, sample.value);
        },
      });
    },
    /** The Prometheus text exposition of everything registered, and of the process. */
    async text() {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    },
    contentType: registry.contentType,
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
