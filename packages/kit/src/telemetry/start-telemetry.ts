import { type EnvelopeTrace, traceEnvelopesWith } from '@convene/contracts';
import { context, propagation } from '@opentelemetry/api';

export interface TelemetryOptions {
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://jaeger:4318. Without one nothing starts. */
  otlpEndpoint?: string | undefined;
  /**
   * The service writes its outgoing HTTP requests' trace headers itself, inside client spans of its
   * own (the gateway, which forwards a traceparent on every proxied request): the http and undici
   * instrumentations are left off, so a request never carries two traceparents.
   */
  ownClientSpans?: boolean;
}

export type StopTelemetry = () => Promise<void>;

/**
 * Starts the OpenTelemetry Node SDK exporting traces over OTLP/HTTP (JSON), only when an endpoint
 * is configured; otherwise a no-op. Resolves with a function that flushes and stops it. The
 * standard OTEL_* variables (OTEL_BSP_SCHEDULE_DELAY, OTEL_TRACES_SAMPLER, ...) apply as usual.
 *
 * Incoming requests get their server span from the kit's app middleware, and messages their
 * publish and process spans from the bus; the auto instrumentations add outgoing HTTP
 * (undici/fetch) and MongoDB/mongoose spans. Envelopes built from then on carry the active trace,
 * so the outbox relay's publish, long after the request, continues the request's trace.
 * Call this before importing the code that loads those libraries (a dynamic import in main.ts)
 * so they are patched.
 */
export async function startTelemetry({
  service,
  otlpEndpoint,
  ownClientSpans = false,
}: TelemetryOptions): Promise<StopTelemetry> {
  if (!otlpEndpoint) return async () => {};
  // Loaded lazily: the SDK and its instrumentations cost real start-up time when tracing is off.
  const [{ NodeSDK }, { OTLPTraceExporter }, { getNodeAutoInstrumentations }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/auto-instrumentations-node'),
  ]);
  const sdk = new NodeSDK({
    serviceName: service,
    // Traces only: without these the SDK would also push metrics and logs to a default endpoint.
    metricReaders: [],
    logRecordProcessors: [],
    traceExporter: new OTLPTraceExporter({ url: new URL('v1/traces', withSlash(otlpEndpoint)).toString() }),
    instrumentations: [
      getNodeAutoInstrumentations({
        // Server spans come from the kit middleware, which knows the route; avoid a second one.
        '@opentelemetry/instrumentation-http': ownClientSpans
          ? { enabled: false }
          : { ignoreIncomingRequestHook: () => true },
        '@opentelemetry/instrumentation-undici': { enabled: !ownClientSpans },
        // The bus makes the messaging spans and writes the traceparent header itself; amqplib's
        // instrumentation would replace that header with its own span's, and the consumer's span
        // would no longer be the child of the bus's publish span.
        '@opentelemetry/instrumentation-amqplib': { enabled: false },
        '@opentelemetry/instrumentation-mongodb': { enabled: true },
        '@opentelemetry/instrumentation-mongoose': { enabled: true },
        // Keep trace ids on log lines, but logs stay on stdout rather than going to the collector.
        '@opentelemetry/instrumentation-pino': { disableLogSending: true },
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
      }),
    ],
  });
  sdk.start();
  traceEnvelopesWith(activeTrace);
  return async () => {
    traceEnvelopesWith(undefined);
    await sdk.shutdown();
  };
}

/** The active span as W3C headers; nothing outside any span (a job's first write, for one). */
function activeTrace(): EnvelopeTrace {
  const carrier: EnvelopeTrace = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
