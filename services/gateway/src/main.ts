import { runService } from '@convene/kit';
import { Env } from './env.ts';

// The gateway makes the client span of each forwarded call itself and writes that span's
// traceparent on the request; the http and undici instrumentations would add a span and a second
// traceparent to the same request, so they stay off here (ownClientSpans).
await runService({
  service: 'gateway',
  env: Env,
  load: () => import('./service.ts'),
  telemetry: { ownClientSpans: true },
});
