// `./convene invitations:expire [--dry-run]`: what the expiry sweeper does, by hand (seed 001's manual cleanup).
import { parseArgs } from 'node:util';
import { connectMongo, createLogger, loadEnv } from '@convene/kit';
import { z } from 'zod';
import type { FlowContext } from '../flows/context.ts';
import { expireOverdueInvitations } from '../flows/expire-overdue-invitations.ts';
import { createStore, ensureIndexes } from '../store/store.ts';

const usage = `Usage: invitations:expire [--dry-run]

Marks every overdue pending invitation expired, each with its invitation.expired in the
invitation's outbox (the running service's relay publishes them). Safe beside the scheduled
sweeper and other replicas: each invitation is expired once. --dry-run only counts. Needs MONGO_URL.`;

const CliEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// URL'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('error'),
});

let values: { 'dry-run': boolean; help: boolean };
try {
  ({ values } = parseArgs({
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
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
const logger = createLogger({ service: 'invitations-cli', level: env.LOG_LEVEL });
const mongo = await connectMongo(env.MONGO_URL, { logger });
try {
  const store = createStore(mongo);
  await ensureIndexes(store);
  const now = () => new Date();
  if (values['dry-run']) {
    const due = await store.invitations.countDocuments({ status: 'pending', expires_at: { $lte: now() } });
    process.stdout.write(`${due} overdue pending invitation(s) would be expired\n`);
  } else {
    // Only what expiring needs: no bus (the service's relay publishes the outbox), no directories.
    const ctx = { store, now, nudge: () => {}, logger } as unknown as FlowContext;
    const expired = await expireOverdueInvitations(ctx);
    process.stdout.write(`${expired} invitation(s) expired\n`);
  }
} finally {
  await mongo.close();
}
