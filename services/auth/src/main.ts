import { loadEnv, onShutdown, startTelemetry } from '@convene/kit';
import { Env } from './env.ts';

const env = loadEnv(Env);
const stopTelemetry = await startTelemetry({ service: 'auth', otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
// Loaded after telemetry so mongodb, amqplib and http are instrumented.
const { createService } = await import('./service.ts');
const service = await createService(env);
await service.start();
onShutdown({
  logger: service.logger,
  steps: [
    { name: 'auth service', run: () => service.stop() },
    { name: 'telemetry', run: () => stopTelemetry() },
  ],
});
