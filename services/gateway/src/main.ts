import { loadEnv, onShutdown } from '@convene/kit';
import { Env } from './env.ts';
import { createService } from './service.ts';

// No startTelemetry here: the gateway records no spans of its own. It starts (or continues) the
// W3C trace in the traceparent it forwards, so every service's spans of a request share one trace;
// undici auto-instrumentation would add a second traceparent to the same request.
const env = loadEnv(Env);
const gateway = await createService(env);
await gateway.start();
onShutdown({ logger: gateway.logger, steps: [{ name: 'gateway', run: () => gateway.stop() }] });
