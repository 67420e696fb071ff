import { z } from 'zod';
import { FlowSettings } from '../env.ts';

/**
 * What the invitations commands read: the flows' settings as the service reads them (their
 * defaults when unset), so a command runs the same flows, plus the database and, to publish
 * what it wrote itself, the broker.
 */
export const CliEnv = FlowSettings.extend({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// URL'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('error'),
  AMQP_URL: z.string().optional(),
  BUS_NAMESPACE: z.string().default(''),
});
export type CliEnv = z.infer<typeof CliEnv>;
