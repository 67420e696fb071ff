import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { InfraSource } from './infra-source.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
    amqpUrl: string;
    /** Where both servers come from; 'mixed' when only one of MONGO_URL / AMQP_URL is set. */
    infraSource: InfraSource | 'mixed';
  }
}

export const LOCAL_MONGO_URL = 'mongodb://127.0.0.1:27017';
export const LOCAL_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface TestInfra {
  /** Server URL without a database name; use `mongoUrlFor(name)` for a database of your own. */
  mongoUrl: string;
  amqpUrl: string;
}

/** Where the real MongoDB and RabbitMQ for this test run are (see global-setup.ts). */
export function testInfra(): TestInfra {
  let mongoUrl: string | undefined;
  let amqpUrl: string | undefined;
  try {
    mongoUrl = inject('mongoUrl');
    amqpUrl = inject('amqpUrl');
  } catch {
    // Outside a vitest worker (scripts, benchmarks): fall back to the environment.
  }
  return {
    mongoUrl: mongoUrl ?? process.env.MONGO_URL ?? LOCAL_MONGO_URL,
    amqpUrl: amqpUrl ?? process.env.AMQP_URL ?? LOCAL_AMQP_URL,
  };
}

/** A name no other test file (or earlier run) uses: database names, exchange/queue prefixes. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** The server URL pointed at database `db`, keeping any query options (e.g. replicaSet). */
export function mongoUrlFor(db: string, base = testInfra().mongoUrl): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
