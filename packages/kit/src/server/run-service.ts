import type { z } from 'zod';
import { loadEnv } from '../config/load-env.ts';
import type { Logger } from '../logging/create-logger.ts';
import { startTelemetry, type TelemetryOptions } from '../telemetry/start-telemetry.ts';
import { onShutdown } from './on-shutdown.ts';

interface RunnableService {
  logger: Logger;
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface RunServiceOptions<S extends z.ZodType> {
  service: string;
  env: S;
  /**
   * Loads the service module lazily: telemetry must start before mongodb, amqplib and http are
   * imported for them to be instrumented, so main.ts passes `() => import('./service.ts')`.
   */
  load: () => Promise<{ createService(env: z.output<S>): Promise<RunnableService> }>;
  /**
   * Start OpenTelemetry (default) when OTEL_EXPORTER_OTLP_ENDPOINT is set. The gateway passes
   * `{ ownClientSpans: true }`: it writes the forwarded requests' traceparent itself.
   */
  telemetry?: boolean | Pick<TelemetryOptions, 'ownClientSpans'>;
}

/** What every service's main.ts does: configuration, telemetry, the service, graceful shutdown. */
export async function runService<S extends z.ZodType>({
  service,
  env: schema,
  load,
  telemetry = true,
}: RunServiceOptions<S>): Promise<void> {
  const env = loadEnv(schema);
  const stopTelemetry = telemetry
    ? await startTelemetry({
        ...(typeof telemetry === 'object' ? telemetry : {}),
        service,
        otlpEndpoint: (env as { OTEL_EXPORTER_OTLP_ENDPOINT?: string }).OTEL_EXPORTER_OTLP_ENDPOINT,
      })
    : async () => {};
  const { createService } = await load();
  const running = await createService(env);
  await running.start();
  onShutdown({
    logger: running.logger,
    steps: [
      { name: service, run: () => running.stop() },
      { name: 'telemetry', run: () => stopTelemetry() },
    ],
  });
}
