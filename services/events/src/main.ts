// Wiring only: configuration, telemetry, the service, graceful shutdown.
import { loadEnv, onShutdown, startTelemetry } from '@convene/kit';
import { Env } from './env.ts';

const env = loadEnv(Env);
const stopTelemetry = await startTelemetry({ service: 'events', otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
// Imported after telemetry starts so mongodb, amqplib and http are instrumented.
const { createService } = await import('./service.ts');
const service = await createService(env);
await service.start();
onShutdown({
  logger: service.logger,
  steps: [
    { name: 'service', run: () => service.stop() },
    { name: 'telemetry', run: () => stopTelemetry() },
  ],
});
