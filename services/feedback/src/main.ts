// Wiring only: telemetry first, then configuration, the service, graceful shutdown.
// Tracing starts before '@convene/kit' and ./env.ts are loaded: they load the MongoDB driver, which
// the SDK can only instrument if it is not loaded yet.
import { startTelemetryFromEnv } from '@convene/kit/telemetry';

await startTelemetryFromEnv('feedback');
const { runService } = await import('@convene/kit');
const { Env } = await import('./env.ts');
await runService({ service: 'feedback', env: Env, load: () => import('./service.ts') });
