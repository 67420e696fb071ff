import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Prometheus metrics of one gateway instance, in a registry of its own (tests run several
 * gateways in one process). Route groups are the service a request went to, or what the gateway
 * itself served (docs, pages, ops), so label cardinality stays small whatever paths clients send.
 */
export function createMetrics({ processMetrics = true }: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'gateway_' });

  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'Requests answered, by route group, method and status.',
    labelNames: ['group', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by route group and method.',
    labelNames: ['group', 'method'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Forwarded requests without a complete answer, by service and kind (unavailable, timeout, ...).',
    labelNames: ['upstream', 'kind'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'gateway_rate_limited_total',
    help: 'Requests refused with 429 (ip, user), and connections refused over the per-client cap (connections).',
    labelNames: ['scope'] as const,
    registers: [registry],
  });

  // The family every Convene service has under this name: one "what is down" view over all jobs.
  const dependencyUp = new Gauge({
    name: 'convene_dependency_up',
    help: 'Whether a service answered its last /readyz probe (1) or not (0); none is required for readiness.',
    labelNames: ['dependency', 'required'] as const,
    registers: [registry],
  });

  return {
    registry,
    dependency(name: string, required: boolean, up: boolean) {
      dependencyUp.set({ dependency: name, required: String(required) }, up ? 1 : 0);
    },
    observeRequest(group: string, method: string, status: number, seconds: number) {
      const m = METHODS.has(method) ? method : 'OTHER';
      requests.inc({ group, method: m, status: String(status) });
      duration.observe({ group, method: m }, seconds);
    },
    upstreamError(upstream: string, kind: string) {
      upstreamErrors.inc({ upstream, kind });
    },
    rateLimited(scope: 'ip' | 'user' | 'connections') {
      rateLimited.inc({ scope });
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
