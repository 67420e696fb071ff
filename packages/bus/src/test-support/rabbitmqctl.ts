import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rabbitmqctlPath, testInfra, uniqueName } from '@convene/testing';
import { type ChannelModel, connect } from 'amqplib';

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

/**
 * The explicit opt-out: `CONVENE_TEST_SKIP_BROKER_SIDE=1` skips the bus tests that act on the
 * broker from its side with rabbitmqctl (forced connection closes, negotiated heartbeats).
 * Meant for a broker this machine's rabbitmqctl cannot manage (a container, a
 * remote AMQP_URL). Nothing else skips them.
 */
export const SKIP_BROKER_SIDE_ENV = 'CONVENE_TEST_SKIP_BROKER_SIDE';

let enabled: Promise<boolean> | undefined;
/**
 * Whether the broker-side tests run: false only behind the opt-out above. Otherwise rabbitmqctl
 * must work and manage the very broker the tests use (checked by finding a connection opened
 * for the purpose), or this rejects, failing the test file loudly instead of skipping anything.
 */
export function brokerSideTestsEnabled(): Promise<boolean> {
  enabled ??= process.env[SKIP_BROKER_SIDE_ENV] === '1' ? Promise.resolve(false) : rabbitmqctlManagesTestBroker();
  return enabled;
}

async function rabbitmqctlManagesTestBroker(): Promise<true> {
  const name = uniqueName('bus_ctl_check');
  let connection: ChannelModel | undefined;
  try {
    connection = await connect(testInfra().amqpUrl, { clientProperties: { connection_name: name } });
    const listing = await rabbitmqctl('--quiet', 'list_connections', '--no-table-headers', 'client_properties');
    if (!listing.includes(`{"connection_name","${name}"}`)) {
      throw new Error('it manages another broker than the one the tests use (their connection is not listed)');
    }
    return true;
  } catch (err) {
    throw new Error(
      `The broker-side bus tests need rabbitmqctl for the broker under test (${(err as Error).message}). ` +
        `Install it or set RABBITMQCTL, or set ${SKIP_BROKER_SIDE_ENV}=1 to skip them deliberately.`,
    );
  } finally {
    await connection?.close().catch(() => {});
  }
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
