// `./convene invitations:expire [--dry-run]`: what the expiry sweeper does, by hand (an operator's manual clean-up).
import { parseArgs } from 'node:util';
import { connectMongo, createLogger, loadEnv } from '@convene/kit';
import { flowContext } from '../flows/context.ts';
import { countOverdueInvitations } from '../flows/count-overdue-invitations.ts';
import { expireOverdueInvitations } from '../flows/expire-overdue-invitations.ts';
import { createStore, ensureIndexes } from '../store/store.ts';
import { CliEnv } from './cli-env.ts';
import { publishOutbox } from './publish-outbox.ts';

const usage = `Usage: invitations:expire [--dry-run] [--publish]

Marks every overdue pending invitation expired, each with its invitation.expired in the
invitation's outbox (the running service's relay publishes them at its next poll). Safe beside
the scheduled sweeper and other replicas: each invitation is expired once. --dry-run only counts.
--publish publishes the outbox before exiting (needs AMQP_URL, and BUS_NAMESPACE if the services
use one). Needs MONGO_URL.`;

let values: { 'dry-run': boolean; publish: boolean; help: boolean };
try {
  ({ values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const env = loadEnv(CliEnv);
if (values.publish && !env.AMQP_URL) {
  process.stderr.write(`--publish needs AMQP_URL\n\n${usage}\n`);
  process.exit(2);
}
const logger = createLogger({ service: 'invitations-cli', level: env.LOG_LEVEL });
const mongo = await connectMongo(env.MONGO_URL, { logger });
try {
  const store = createStore(mongo);
  await ensureIndexes(store);
  const now = () => new Date();
  const flows = flowContext(store, env, { now, logger });
  if (values['dry-run']) {
    const due = await countOverdueInvitations(flows);
    process.stdout.write(`${due} overdue pending invitation(s) would be expired\n`);
  } else {
    const expired = await expireOverdueInvitations(flows);
    process.stdout.write(`${expired} invitation(s) expired\n`);
    if (values.publish && env.AMQP_URL) {
      const published = await publishOutbox({
        amqpUrl: env.AMQP_URL,
        namespace: env.BUS_NAMESPACE,
        store,
        logger,
        now,
      });
      process.stdout.write(`published: ${published} message(s)\n`);
    }
  }
} finally {
  await mongo.close();
}
