import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { deleteTestTopology } from './broker-cleanup.ts';
import { LOCAL_AMQP_URL, LOCAL_MONGO_URL } from './infra.ts';

/**
 * Gives every test worker a real MongoDB and RabbitMQ:
 *  1. MONGO_URL / AMQP_URL from the environment when set;
 *  2. otherwise testcontainers (mongo:7 as a single-node replica set, rabbitmq:3.13-management)
 *     when a Docker engine is reachable;
 *  3. otherwise the local infrastructure that `pnpm infra:up` starts.
 */
export default async function setup(project: TestProject) {
  const startedAt = Date.now();
  const stops: Array<() => Promise<unknown>> = [];
  let mongoUrl = process.env.MONGO_URL;
  let amqpUrl = process.env.AMQP_URL;
  let source: 'containers' | 'environment' | 'local' = 'environment';

  if ((!mongoUrl || !amqpUrl) && dockerReachable()) {
    source = 'containers';
    const [{ MongoDBContainer }, { RabbitMQContainer }] = await Promise.all([
      import('@testcontainers/mongodb'),
      import('@testcontainers/rabbitmq'),
    ]);
    if (!mongoUrl) {
      const mongo = await new MongoDBContainer('mongo:7').start();
      stops.push(() => mongo.stop());
      mongoUrl = `${mongo.getConnectionString()}?directConnection=true`;
    }
    if (!amqpUrl) {
      const rabbit = await new RabbitMQContainer('rabbitmq:3.13-management').start();
      stops.push(() => rabbit.stop());
      amqpUrl = rabbit.getAmqpUrl();
    }
  } else if (!mongoUrl || !amqpUrl) {
    source = 'local';
  }

  project.provide('mongoUrl', mongoUrl ?? LOCAL_MONGO_URL);
  project.provide('amqpUrl', amqpUrl ?? LOCAL_AMQP_URL);
  project.provide('infraSource', source);

  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    if (source !== 'containers' && process.env.CONVENE_TEST_KEEP_TOPOLOGY !== '1') {
      try {
        await deleteTestTopology(amqpUrl ?? LOCAL_AMQP_URL, startedAt);
      } catch (err) {
        console.warn(`[testing] could not delete this run's test queues: ${(err as Error).message}`);
      }
    }
  };
}

function dockerReachable(): boolean {
  if (process.env.CONVENE_TEST_NO_CONTAINERS === '1') return false;
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}
