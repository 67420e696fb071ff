// `./convene invitations:expire [--dry-run] [--publish]`: what the expiry sweeper does, by hand (an operator's manual clean-up).
import { parseEnv } from '@convene/kit';
import { runCommand, UsageError } from '@convene/kit/cli';
import { countOverdueInvitations } from '../flows/count-overdue-invitations.ts';
import { expireOverdueInvitations } from '../flows/expire-overdue-invitations.ts';
import { CliEnv } from './cli-env.ts';
import { withCliFlows } from './with-cli-flows.ts';

const USAGE = `Usage: ./convene invitations:expire [--dry-run] [--publish]

Marks every overdue pending invitation expired, each with its invitation.expired in the
invitation's outbox (the running service's relay publishes them at its next poll). Safe beside
the scheduled sweeper and other replicas: each invitation is expired once. --dry-run only counts.
--publish publishes the outbox before exiting (needs AMQP_URL, and BUS_NAMESPACE if the services
use one). Needs MONGO_URL.`;

runCommand(
  {
    name: 'invitations:expire',
    usage: USAGE,
    options: {
      'dry-run': { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
    },
  },
  async ({ values }) => {
    const env = parseEnv(CliEnv);
    if (values.publish && !env.AMQP_URL) throw new UsageError('--publish needs AMQP_URL');

    await withCliFlows(env, async ({ flows, publishWritten }) => {
      if (values['dry-run']) {
        const due = await countOverdueInvitations(flows);
        process.stdout.write(`${due} overdue pending invitation(s) would be expired\n`);
        return;
      }
      const expired = await expireOverdueInvitations(flows);
      process.stdout.write(`${expired} invitation(s) expired\n`);
      if (values.publish) await publishWritten();
    });
  },
);
