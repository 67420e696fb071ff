import { connectMongo, createLogger } from '@convene/kit';
import { type FlowContext, flowContext } from '../flows/context.ts';
import { createStore, ensureIndexes } from '../store/store.ts';
import type { CliEnv } from './cli-env.ts';
import { publishOutbox } from './publish-outbox.ts';

export interface CliFlows {
  flows: FlowContext;
  /** Publishes what the command wrote and says how many went out (needs AMQP_URL). */
  publishWritten(): Promise<void>;
}

/**
 * What every invitations command runs in: the service's flows on its own database (indexes
 * ensured), closed again when `run` settles, whatever it answered.
 */
export async function withCliFlows<T>(env: CliEnv, run: (cli: CliFlows) => Promise<T>): Promise<T> {
  const logger = createLogger({ service: 'invitations-cli', level: env.LOG_LEVEL });
  const mongo = await connectMongo(env.MONGO_URL, { logger });
  try {
    const store = createStore(mongo);
    await ensureIndexes(store);
    const now = () => new Date();
    const flows = flowContext(store, env, { now, logger });
    const publishWritten = async () => {
      if (!env.AMQP_URL) throw new Error('publishing needs AMQP_URL');
      const published = await publishOutbox({
        amqpUrl: env.AMQP_URL,
        namespace: env.BUS_NAMESPACE,
        store,
        logger,
        now,
      });
      process.stdout.write(`published: ${published} message(s)\n`);
    };
    return await run({ flows, publishWritten });
  } finally {
    await mongo.close();
  }
}
