// Wiring only: configuration, telemetry, the service, graceful shutdown.
import { runService } from '@convene/kit';
import { Env } from './env.ts';

await runService({ service: 'feedback', env: Env, load: () => import('./service.ts') });
