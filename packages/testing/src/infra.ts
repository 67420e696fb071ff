import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { InfraSource } from './infra-source.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
    amqpUrl: string;
    /** Where both servers come from; 'mixed' when only one of MONGO_URL / AMQP_URL is set. */
    infraSource: InfraSource | 'mixed';
    /** 4 hex digits naming this test run inside every uniqueName(), so its cleanup finds its own names only. */
    runTag: string;
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

/** The run tag outside vitest (scripts, benchmarks): never cleaned up by a test run's teardown. */
export const NO_RUN_TAG = '0000';

/** This test run's tag (see global-setup.ts), or NO_RUN_TAG outside a vitest worker. */
export function runTag(): string {
  try {
    return inject('runTag') ?? NO_RUN_TAG;
  } catch {
    return NO_RUN_TAG;
  }
}

/**
 * A name no other test file (or earlier run) uses: database names, exchange/queue prefixes.
 * `<prefix>_<Date.now() base 36><run tag><6 random hex>`: the run tag lets a run's teardown delete
 * the broker topology it made and nothing of another run going on at the same time.
 */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}${runTag()}${randomBytes(3).toString('hex')}`;
}

/** The server URL pointed at database `db`, keeping any query options (e.g. replicaSet). */
export function mongoUrlFor(db: string, base = testInfra().mongoUrl): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
