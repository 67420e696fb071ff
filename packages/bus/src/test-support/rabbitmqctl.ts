import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rabbitmqctlPath } from '@convene/testing';
import { inject } from 'vitest';

const run = promisify(execFile);
const RABBITMQCTL_TIMEOUT_MS = 20_000;

/** rabbitmqctl on this machine (it honours RABBITMQ_NODENAME to pick a node). */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run(rabbitmqctlPath() ?? 'rabbitmqctl', args, {
    timeout: RABBITMQCTL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  return stdout;
}

let available: Promise<boolean> | undefined;
/**
 * Whether the tests that close connections from the broker side can run. A broker in a container
 * or one named by AMQP_URL may have no rabbitmqctl here, and those tests are then skipped; with
 * the local infrastructure (`pnpm infra:up`, what CI runs) a missing or failing rabbitmqctl is an
 * error, so the tests fail loudly instead of being skipped.
 */
export function rabbitmqctlAvailable(): Promise<boolean> {
  available ??= rabbitmqctl('--quiet', 'list_connections', '--no-table-headers', 'pid').then(
    () => true,
    (err: unknown) => {
      if (inject('infraSource') !== 'local') return false;
      throw new Error(`rabbitmqctl is needed for the broker-side connection tests and failed: ${String(err)}`);
    },
  );
  return available;
}

/** `pid<TAB>client_properties` lines of the connections whose connection_name starts with `prefix`. */
async function connectionsNamed(prefix: string): Promise<string[]> {
  const listing = await rabbitmqctl('--quiet', 'list_connections', '--no-table-headers', 'pid', 'client_properties');
  return listing
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0]!);
}

/**
 * Closes, from the broker side (CONNECTION_FORCED), only the connections whose name starts with
 * `prefix` — never `close_all_connections`, which would also cut other test files and services
 * sharing the broker. Returns how many it closed.
 */
export async function closeConnectionsNamed(prefix: string): Promise<number> {
  const pids = await connectionsNamed(prefix);
  await Promise.all(pids.map((pid) => rabbitmqctl('close_connection', pid, 'test: forced close')));
  return pids.length;
}

/** The negotiated heartbeat (seconds) of each connection named exactly `name`. */
export async function heartbeatsOf(name: string): Promise<number[]> {
  const listing = await rabbitmqctl(
    '--quiet',
    'list_connections',
    '--no-table-headers',
    'timeout',
    'client_properties',
  );
  return listing
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${name}"}`))
    .map((line) => Number(line.split('\t')[0]));
}

/**
 * Deletes the queues and exchanges whose names start with `namespace`, so test runs do not pile
 * up durable queues on a shared broker. Needs rabbitmqctl to list them; without it, does nothing.
 */
export async function deleteNamespace(
  channel: { deleteQueue(q: string): Promise<unknown>; deleteExchange(e: string): Promise<unknown> },
  namespace: string,
): Promise<void> {
  if (!namespace || !(await rabbitmqctlAvailable())) return;
  const list = async (what: 'list_queues' | 'list_exchanges') =>
    (await rabbitmqctl('--quiet', what, '--no-table-headers', 'name'))
      .split('\n')
      .map((line) => line.trim())
      .filter((name) => name.startsWith(namespace));
  for (const queue of await list('list_queues')) await channel.deleteQueue(queue);
  for (const exchange of await list('list_exchanges')) await channel.deleteExchange(exchange);
}
