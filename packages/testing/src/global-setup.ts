import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { deleteTestTopology } from './broker-cleanup.ts';
import { LOCAL_AMQP_URL, LOCAL_MONGO_URL, NO_RUN_TAG } from './infra.ts';
import { waitForServers } from './infra-check.ts';
import {
  assertExpectedInfra,
  describeInfra,
  dockerReason,
  expectedInfra,
  type InfraPlan,
  type InfraSource,
  planInfra,
} from './infra-source.ts';

/**
 * Gives every test worker a real MongoDB and RabbitMQ, each from (see infra-source.ts):
 *  1. MONGO_URL / AMQP_URL from the environment when set;
 *  2. otherwise testcontainers (mongo:7 as a single-node replica set, rabbitmq:3.13-management)
 *     when a Docker engine is reachable (DOCKER_HOST or /var/run/docker.sock; CONVENE_TEST_NO_CONTAINERS=1
 *     ignores it);
 *  3. otherwise the local infrastructure that `pnpm infra:up` starts.
 *
 * Picking silently is convenient on a laptop and dangerous in CI, where a stray DOCKER_HOST or
 * MONGO_URL would test against something else. So `CONVENE_TEST_INFRA=local|containers|environment`
 * names what the run must use, and the run fails at once, saying why, when it would use anything
 * else. Every run prints one `[testing] infrastructure: ...` line, and fails before any test when
 * the servers do not answer (a Mongo ping and an AMQP connection, retried for up to 15 s).
 */
export default async function setup(project: TestProject) {
  const plan = planInfra(process.env, dockerReason(process.env));
  assertExpectedInfra(plan, expectedInfra(process.env));

  const stops: Array<() => Promise<unknown>> = [];
  let mongoUrl = plan.mongo === 'environment' ? process.env.MONGO_URL! : LOCAL_MONGO_URL;
  let amqpUrl = plan.amqp === 'environment' ? process.env.AMQP_URL! : LOCAL_AMQP_URL;
  if (plan.mongo === 'containers' || plan.amqp === 'containers') {
    const [{ MongoDBContainer }, { RabbitMQContainer }] = await Promise.all([
      import('@testcontainers/mongodb'),
      import('@testcontainers/rabbitmq'),
    ]);
    if (plan.mongo === 'containers') {
      const mongo = await new MongoDBContainer('mongo:7').start();
      stops.push(() => mongo.stop());
      mongoUrl = `${mongo.getConnectionString()}?directConnection=true`;
    }
    if (plan.amqp === 'containers') {
      const rabbit = await new RabbitMQContainer('rabbitmq:3.13-management').start();
      stops.push(() => rabbit.stop());
      amqpUrl = rabbit.getAmqpUrl();
    }
  }

  console.log(describeInfra(plan, { mongoUrl, amqpUrl }));
  try {
    await waitForServers({ mongoUrl, amqpUrl }, { hint: whatToDo(plan) });
  } catch (err) {
    await Promise.all(stops.map((stop) => stop()));
    throw err;
  }

  project.provide('mongoUrl', mongoUrl);
  project.provide('amqpUrl', amqpUrl);
  project.provide('infraSource', plan.source);
  // Names this run's topology (see uniqueName), so teardown deletes only what this run made.
  let tag = randomBytes(2).toString('hex');
  if (tag === NO_RUN_TAG) tag = 'ffff';
  project.provide('runTag', tag);

  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    if (plan.amqp !== 'containers' && process.env.CONVENE_TEST_KEEP_TOPOLOGY !== '1') {
      try {
        await deleteTestTopology(amqpUrl, tag);
      } catch (err) {
        console.warn(`[testing] could not delete this run's test queues: ${(err as Error).message}`);
      }
    }
  };
}

const TO_DO: Record<InfraSource, string> = {
  local: 'start the local infrastructure with `pnpm infra:up` (`./convene test` does it for you)',
  environment: 'check MONGO_URL / AMQP_URL',
  containers: "the containers started but do not answer: see the Docker engine's logs",
};

function whatToDo(plan: InfraPlan): string {
  const todo = [...new Set([plan.mongo, plan.amqp])].map((source) => TO_DO[source]).join('; ');
  return `${todo.charAt(0).toUpperCase()}${todo.slice(1)}.`;
}
