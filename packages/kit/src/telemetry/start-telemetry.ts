export interface TelemetryOptions {
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://jaeger:4318. Without one nothing starts. */
  otlpEndpoint?: string | undefined;
}

export type StopTelemetry = () => Promise<void>;

/**
 * Starts the OpenTelemetry Node SDK exporting traces over OTLP/HTTP, only when an endpoint is
 * configured; otherwise a no-op. Resolves with a function that flushes and stops it.
 *
 * Incoming requests get their server span from the kit's app middleware; the auto
 * instrumentations add outgoing HTTP (undici/fetch), MongoDB and amqplib spans. Call this before
 * importing the code that loads those libraries (a dynamic import in main.ts) so they are patched.
 */
export async function startTelemetry({ service, otlpEndpoint }: TelemetryOptions): Promise<StopTelemetry> {
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
        '@opentelemetry/instrumentation-http': { ignoreIncomingRequestHook: () => true },
        // Keep trace ids on log lines, but logs stay on stdout rather than going to the collector.
        '@opentelemetry/instrumentation-pino': { disableLogSending: true },
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
      }),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
