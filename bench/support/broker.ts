// Removes what a benchmark's services declared on the local RabbitMQ: every queue and exchange
// whose name starts with the run's namespace. Lists with rabbitmqctl (local infrastructure), deletes
// over AMQP with the bus package's own amqplib. Best effort and bounded: says what it did or why not.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fromBus = createRequire(new URL('../../packages/bus/package.json', import.meta.url));

export async function deleteBrokerNamespace(amqpUrl: string, prefix: string): Promise<string> {
  if (!prefix) return 'no namespace';
  const command =
    process.env.RABBITMQCTL ?? (existsSync('/usr/sbin/rabbitmqctl') ? '/usr/sbin/rabbitmqctl' : 'rabbitmqctl');
  try {
    const list = async (kind: 'list_queues' | 'list_exchanges') =>
      (await run(command, ['-q', kind, 'name', '--no-table-headers'], { timeout: 60_000 })).stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((name) => name.startsWith(prefix));
    const [queues, exchanges] = await Promise.all([list('list_queues'), list('list_exchanges')]);
    const amqp = (await import(fromBus.resolve('amqplib'))) as typeof import('amqplib');
    const connection = await amqp.connect(amqpUrl);
    try {
      const channel = await connection.createChannel();
      for (const queue of queues) await channel.deleteQueue(queue);
      for (const exchange of exchanges) await channel.deleteExchange(exchange);
      await channel.close();
    } finally {
      await connection.close();
    }
    return `${queues.length} queues and ${exchanges.length} exchanges deleted`;
  } catch (err) {
    return `not cleaned up (${err instanceof Error ? err.message : String(err)})`;
  }
}
