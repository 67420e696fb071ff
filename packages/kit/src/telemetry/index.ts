// `@convene/kit/telemetry`: what a main.ts imports first. Nothing here loads mongoose, mongodb or
// amqplib (the kit's main entry does), so the SDK is running before they are loaded and patched.
import { type StopTelemetry, startTelemetry, type TelemetryOptions } from './start-telemetry.ts';

export type { StopTelemetry, TelemetryOptions };

/**
 * Starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT before the rest of the service is imported;
 * runService's own start then finds it running. A value that is not a URL starts nothing here:
 * runService's configuration check refuses it with the other configuration errors.
 */
export function startTelemetryFromEnv(
  service: string,
  options: Pick<TelemetryOptions, 'ownClientSpans'> = {},
): Promise<StopTelemetry> {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const otlpEndpoint = endpoint && URL.canParse(endpoint) ? endpoint : undefined;
  return startTelemetry({ service, otlpEndpoint, ...options });
}
