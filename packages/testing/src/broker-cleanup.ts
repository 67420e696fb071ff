import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { rabbitmqctlPath } from './rabbitmqctl.ts';

const run = promisify(execFile);

/** `uniqueName()` namespaces: `<prefix>_<Date.now() base 36><4 hex run tag><6 hex>.` at the start of a name (the prefix may hold `_`). */
const NAMESPACE = /^([a-z][a-z0-9_-]*?)_([0-9a-z]{8})([0-9a-f]{4})([0-9a-f]{6})\./;

/** When and by which run the namespace at the start of `name` was made; undefined if it is not a test namespace. */
export function testNamespace(name: string): { at: number; run: string } | undefined {
  const match = NAMESPACE.exec(name);
  return match ? { at: Number.parseInt(match[2]!, 36), run: match[3]! } : undefined;
}

async function listNames(kind: 'list_queues' | 'list_exchanges'): Promise<string[]> {
  const command = rabbitmqctlPath();
  if (!command) throw new Error('rabbitmqctl not found (set RABBITMQCTL, or put it on PATH)');
  const { stdout } = await run(command, ['-q', kind, 'name', '--no-table-headers'], { timeout: 60_000 });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Deletes the queues and exchanges that the test namespaces of run `run` created on a local broker
 * (another run going on at the same time, on the same broker, keeps its own).
 * Test files isolate themselves with durable namespaced topology; left behind, thousands of quorum
 * queues pile up run after run on a developer's broker. Best effort: a failure is reported, never
 * fatal. Needs `rabbitmqctl` (local infrastructure); containers are thrown away anyway.
 */
export async function deleteTestTopology(amqpUrl: string, run: string): Promise<{ queues: number; exchanges: number }> {
  const ours = (name: string) => testNamespace(name)?.run === run;
  const [queues, exchanges] = await Promise.all([listNames('list_queues'), listNames('list_exchanges')]);
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    const doomedQueues = queues.filter(ours);
    const doomedExchanges = exchanges.filter(ours);
    for (const queue of doomedQueues) await channel.deleteQueue(queue);
    for (const exchange of doomedExchanges) await channel.deleteExchange(exchange);
    await channel.close();
    return { queues: doomedQueues.length, exchanges: doomedExchanges.length };
  } finally {
    await connection.close();
  }
}
