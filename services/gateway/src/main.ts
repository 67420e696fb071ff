// The gateway makes the client span of each forwarded call itself and writes that span's
// traceparent on the request; the http and undici instrumentations would add a span and a second
// traceparent to the same request, so they stay off here (ownClientSpans).
// Tracing starts before the rest is loaded, as in every service's main.ts.
import { startTelemetryFromEnv } from '@convene/kit/telemetry';

await startTelemetryFromEnv('gateway', { ownClientSpans: true });
const { runService } = await import('@convene/kit');
const { Env } = await import('./env.ts');
await runService({
  service: 'gateway',
  env: Env,
  load: () => import('./service.ts'),
  telemetry: { ownClientSpans: true },
});
