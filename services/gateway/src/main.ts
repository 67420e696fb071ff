import { runService } from '@convene/kit';
import { Env } from './env.ts';

// No telemetry SDK here: the gateway records no spans of its own. It starts (or continues) the
// W3C trace in the traceparent it forwards, so every service's spans of a request share one trace;
// undici auto-instrumentation would add a second traceparent to the same request.
await runService({ service: 'gateway', env: Env, load: () => import('./service.ts'), telemetry: false });
