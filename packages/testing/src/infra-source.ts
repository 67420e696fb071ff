import { existsSync } from 'node:fs';

/** Where a test run's MongoDB and RabbitMQ come from (see global-setup.ts). */
export const INFRA_SOURCES = ['local', 'containers', 'environment'] as const;
export type InfraSource = (typeof INFRA_SOURCES)[number];

type Env = Record<string, string | undefined>;
type Server = 'mongo' | 'amqp';

export interface InfraPlan {
  mongo: InfraSource;
  amqp: InfraSource;
  /** What both servers come from, or 'mixed' when only one of MONGO_URL / AMQP_URL is set. */
  source: InfraSource | 'mixed';
  /** Why each server comes from where it does, for the messages. */
  why: Record<Server, string>;
}

const VARIABLE: Record<Server, string> = { mongo: 'MONGO_URL', amqp: 'AMQP_URL' };
const LABEL: Record<Server, string> = { mongo: 'MONGO', amqp: 'AMQP' };

/** Why a Docker engine counts as reachable, or undefined when the run must not use containers. */
export function dockerReason(env: Env, exists: (path: string) => boolean = existsSync): string | undefined {
  if (env.CONVENE_TEST_NO_CONTAINERS === '1') return undefined;
  if (env.DOCKER_HOST) return `DOCKER_HOST is set (${env.DOCKER_HOST})`;
  if (exists('/var/run/docker.sock')) return '/var/run/docker.sock exists';
  return undefined;
}

/**
 * Each server from, in this order: its URL in the environment (MONGO_URL / AMQP_URL, empty counts
 * as unset); a container when a Docker engine is reachable (`docker` says why); the local
 * infrastructure that `pnpm infra:up` starts.
 */
export function planInfra(env: Env, docker: string | undefined): InfraPlan {
  const pick = (server: Server): [InfraSource, string] => {
    const variable = VARIABLE[server];
    if (env[variable]) return ['environment', `${variable} is set`];
    if (docker) return ['containers', `${variable} is not set and a Docker engine is reachable: ${docker}`];
    return ['local', `${variable} is not set and no Docker engine is reachable`];
  };
  const [mongo, whyMongo] = pick('mongo');
  const [amqp, whyAmqp] = pick('amqp');
  return { mongo, amqp, source: mongo === amqp ? mongo : 'mixed', why: { mongo: whyMongo, amqp: whyAmqp } };
}

/** The source CONVENE_TEST_INFRA demands, or undefined when it is unset; throws on any other value. */
export function expectedInfra(env: Env): InfraSource | undefined {
  const raw = env.CONVENE_TEST_INFRA;
  if (!raw) return undefined;
  if (!(INFRA_SOURCES as readonly string[]).includes(raw)) {
    throw new Error(`[testing] CONVENE_TEST_INFRA must be one of ${INFRA_SOURCES.join(', ')}; got "${raw}"`);
  }
  return raw as InfraSource;
}

const HOW: Record<InfraSource, string> = {
  local:
    'For the local infrastructure unset MONGO_URL and AMQP_URL, and unset DOCKER_HOST or set CONVENE_TEST_NO_CONTAINERS=1 so Docker is not used.',
  containers:
    'For containers unset MONGO_URL and AMQP_URL and make a Docker engine reachable (DOCKER_HOST or /var/run/docker.sock, CONVENE_TEST_NO_CONTAINERS not 1).',
  environment: 'For the environment set both MONGO_URL and AMQP_URL.',
};

/** Throws, saying why and what to change, unless both servers come from `expected` (when given). */
export function assertExpectedInfra(plan: InfraPlan, expected: InfraSource | undefined): void {
  if (!expected) return;
  const wrong = (['mongo', 'amqp'] as const).filter((server) => plan[server] !== expected);
  if (wrong.length === 0) return;
  throw new Error(
    [
      `[testing] CONVENE_TEST_INFRA=${expected}, but this run would use ${plan.source} infrastructure:`,
      ...wrong.map((server) => `  ${LABEL[server]} from ${plan[server]}: ${plan.why[server]}.`),
      `  ${HOW[expected]}`,
    ].join('\n'),
  );
}

/** The one line a run prints about its infrastructure. */
export function describeInfra(plan: InfraPlan, urls: { mongoUrl: string; amqpUrl: string }): string {
  const each = (server: Server, url: string) =>
    `${LABEL[server]} ${plan.source === 'mixed' ? `${plan[server]} ` : ''}${redactUrl(url)}`;
  return `[testing] infrastructure: ${plan.source} (${each('mongo', urls.mongoUrl)}, ${each('amqp', urls.amqpUrl)})`;
}

/** A URL with its password replaced by `***` (works for multi-host MongoDB URLs too). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
