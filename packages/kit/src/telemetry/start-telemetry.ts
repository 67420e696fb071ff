import { type EnvelopeTrace, traceEnvelopesWith } from '@convene/contracts';
import { context, propagation } from '@opentelemetry/api';

export interface TelemetryOptions {
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://jaeger:4318. Without one nothing starts. */
  otlpEndpoint?: string | undefined;
  /**
   * The service writes its outgoing HTTP requests' trace headers itself, inside client spans of its
   * own (the gateway, which forwards a traceparent on every proxied request): the undici
   * instrumentation is left off, so a request never carries two traceparents.
   */
  ownClientSpans?: boolean;
}

export type StopTelemetry = () => Promise<void>;

/** The SDK this process started: a second start (runService after main.ts's) gets the same stop. */
let running: Promise<StopTelemetry> | undefined;

/**
 * Starts the OpenTelemetry Node SDK exporting traces over OTLP/HTTP (JSON), only when an endpoint
 * is configured; otherwise a no-op. Resolves with a function that flushes and stops it. The
 * standard OTEL_* variables (OTEL_BSP_SCHEDULE_DELAY, OTEL_TRACES_SAMPLER, ...) apply as usual.
 *
 * Incoming requests get their server span from the kit's app middleware, and messages their
 * publish and process spans from the bus; the auto instrumentations add outgoing HTTP
 * (undici/fetch) and MongoDB/mongoose spans. Envelopes built from then on carry the active trace,
 * so the outbox relay's publish, long after the request, continues the request's trace.
 * The SDK can only patch a library loaded after it started, and the kit's main entry loads
 * mongoose: main.ts starts it first through `@convene/kit/telemetry` (startTelemetryFromEnv) and
 * imports the rest afterwards; runService's call then finds it running. One SDK per process.
 */
export function startTelemetry(options: TelemetryOptions): Promise<StopTelemetry> {
  if (!options.otlpEndpoint) return Promise.resolve(async () => {});
  running ??= startSdk(options);
  return running;
}

async function startSdk({
  service,
  otlpEndpoint = '',
  ownClientSpans = false,
}: TelemetryOptions): Promise<StopTelemetry> {
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
        // Server spans come from the kit middleware, which knows the route, and outgoing calls
        // go through fetch/undici. Not just told to ignore incoming requests: an ignored request
        // runs with tracing suppressed, which would silence every span made while serving it.
        '@opentelemetry/instrumentation-http': { enabled: false },
        '@opentelemetry/instrumentation-undici': { enabled: !ownClientSpans },
        // The bus makes the messaging spans and writes the traceparent header itself; amqplib's
        // instrumentation would replace that header with its own span's, and the consumer's span
        // would no longer be the child of the bus's publish span.
        '@opentelemetry/instrumentation-amqplib': { enabled: false },
        // Database spans only inside a request's or a message's trace: the relays' and sweeps'
        // polls would otherwise start a trace of their own several times a second. The driver's
        // spans carry the command with its values replaced by `?`; mongoose's carry no statement.
        '@opentelemetry/instrumentation-mongodb': { enabled: true, requireParentSpan: true },
        '@opentelemetry/instrumentation-mongoose': { enabled: true, requireParentSpan: true },
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
  return async function stopTelemetry() {
    running = undefined;
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
