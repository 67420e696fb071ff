// The gateway of the benchmark, in its own process, configured from the environment the runner
// passes (every upstream URL pointing at the bench upstream). Tells the parent its port over IPC.
import { Env } from '../../services/gateway/src/env.ts';
import { createService } from '../../services/gateway/src/service.ts';

const gateway = await createService(Env.parse(process.env), { processMetrics: true });
const { port } = await gateway.start();
process.send?.({ port });
process.on('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
