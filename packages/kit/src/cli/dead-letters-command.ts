// `./convene dlq:list|dlq:show|dlq:replay|dlq:discard`: an operator's hands on the services' dead-letter queues.
import { namesFor } from '@convene/bus';
import { DeadLetterQueues, deadLetterQueues } from '@convene/bus/dead-letters';
import { CONSUMING_SERVICES, LOCAL_AMQP_URL } from './operator-env.ts';
import { progress } from './progress.ts';
import { CommandFailure, EXIT, runCommand, UsageError } from './run-command.ts';

const ENVIRONMENT = `Environment:
  AMQP_URL        the broker (default ${LOCAL_AMQP_URL}, what ./convene start uses)
  BUS_NAMESPACE   the services' queue-name prefix, if they run with one (default none)`;

const USAGE: Record<string, string> = {
  list: `Usage: ./convene dlq:list [--sample N]

Every dead-letter queue (one per service that consumes: ${CONSUMING_SERVICES.join(', ')}) with its
message count and, for the first N messages of each (default 50), why they failed and where from.
Reading the reasons hands each sampled message back in place (see dlq:show).

${ENVIRONMENT}`,
  show: `Usage: ./convene dlq:show QUEUE [--id ID] [--limit N] [--body]

Prints the first N messages (default 10) of QUEUE, or every message with envelope id ID: type,
the queue it failed in, the routing key, the reason, when, after how many attempts, and with --body
the message itself. QUEUE is a queue name (notifier.dlq) or a service name (notifier).
Nothing is removed or reordered: each message is read with basic.get and handed back (nack,
requeue) in the order read once the walk ends. A read message is marked redelivered, and on a
quorum queue its delivery count goes up by one.

${ENVIRONMENT}`,
  replay: `Usage: ./convene dlq:replay QUEUE (--id ID | --all)

Sends the messages back to the work queue each failed in (only that queue, not every service bound
to the event), with their failure history cleared so the handler gets its retries again. Each copy
is confirmed by the broker before the dead letter is removed. --all walks the messages that were
in QUEUE when it started: one that fails again lands behind them and is not replayed twice.
Prints how many were replayed and which were left, and why. Exits 1 if any selected message was left.

${ENVIRONMENT}`,
  discard: `Usage: ./convene dlq:discard QUEUE (--id ID | --all --yes)

Removes messages for good. --all needs --yes.

${ENVIRONMENT}`,
};

const action = process.argv[2] ?? '';
if (!(action in USAGE)) {
  process.stderr.write(`usage: dead-letters-command.ts list|show|replay|discard [options]\n`);
  process.exit(EXIT.usage);
}
const name = `dlq:${action}`;
const env = { url: process.env.AMQP_URL || LOCAL_AMQP_URL, namespace: process.env.BUS_NAMESPACE ?? '' };

/** A service name stands for its DLQ; anything else is taken as a queue name as it is. */
function queueOf(positionals: string[]): string {
  const [given, ...extra] = positionals;
  if (!given) throw new UsageError('which queue? (a queue name such as notifier.dlq, or a service name)');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  return (CONSUMING_SERVICES as readonly string[]).includes(given) ? namesFor(env.namespace, given).dlq : given;
}

function selectionOf(values: { id?: string | undefined; all?: boolean | undefined }) {
  if (values.id !== undefined && values.all) throw new UsageError('--id or --all, not both');
  if (values.id !== undefined) return { id: values.id };
  if (values.all) return { all: true as const };
  throw new UsageError('say which messages: --id ID or --all');
}

async function withQueues<T>(work: (queues: DeadLetterQueues) => Promise<T>): Promise<T> {
  const queues = await DeadLetterQueues.open(env.url, `convene ${name}`);
  try {
    return await work(queues);
  } finally {
    await queues.close();
  }
}

async function requireQueue(queues: DeadLetterQueues, queue: string): Promise<number> {
  const count = await queues.count(queue);
  if (count === null)
    throw new CommandFailure(`no queue named ${queue} on the broker (BUS_NAMESPACE=${env.namespace || '""'})`);
  return count;
}

const argv = process.argv.slice(3);
const write = (text: string) => process.stdout.write(`${text}\n`);

if (action === 'list') {
  runCommand(
    { name, usage: USAGE.list!, options: { sample: { type: 'string', default: '50' } } },
    async ({ values }) => {
      const sample = Number(values.sample);
      if (!Number.isInteger(sample) || sample < 0) throw new UsageError('--sample takes a whole number');
      await withQueues(async (queues) => {
        for (const queue of deadLetterQueues(env.namespace, CONSUMING_SERVICES)) {
          const count = await queues.count(queue);
          if (count === null) {
            write(`${queue.padEnd(28)} not declared (its service has not started on this broker)`);
            continue;
          }
          write(`${queue.padEnd(28)} ${count} message(s)`);
          if (count === 0 || sample === 0) continue;
          const reasons = new Map<string, number>();
          for (const letter of await queues.peek(queue, { limit: sample })) {
            const { queue: from, routingKey, reason } = letter.origin;
            const key = `from ${from ?? '?'} (${routingKey ?? letter.type ?? '?'}): ${reason.split('\n')[0]}`;
            reasons.set(key, (reasons.get(key) ?? 0) + 1);
          }
          const shown = Math.min(count, sample);
          for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]))
            write(`  ${String(n).padStart(5)}  ${reason}`);
          if (shown < count) write(`         (reasons of the first ${shown}; --sample ${count} reads all)`);
        }
      });
    },
    argv,
  );
} else if (action === 'show') {
  runCommand(
    {
      name,
      usage: USAGE.show!,
      positionals: true,
      options: { id: { type: 'string' }, limit: { type: 'string', default: '10' }, body: { type: 'boolean' } },
    },
    async ({ values, positionals }) => {
      const queue = queueOf(positionals);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a whole number above 0');
      return withQueues(async (queues) => {
        const count = await requireQueue(queues, queue);
        const letters = await queues.peek(queue, { limit, ...(values.id === undefined ? {} : { id: values.id }) });
        write(
          `${queue}: ${count} message(s)${values.id === undefined ? '' : `, ${letters.length} with id ${values.id}`}`,
        );
        for (const letter of letters) {
          const o = letter.origin;
          write(`\n#${letter.position}  ${letter.id || '(no id)'}  ${letter.type ?? '(unknown type)'}`);
          write(`  failed in   ${o.queue ?? '(not recorded)'}${o.routingKey ? ` (routing key ${o.routingKey})` : ''}`);
          write(`  reason      ${o.reason}${o.code ? ` [${o.code}]` : ''}`);
          write(
            `  when        ${o.failedAt ?? '(not recorded)'}, after ${o.attempts} attempt(s)${o.replays ? `, replayed ${o.replays} time(s) before` : ''}`,
          );
          if (values.body) write(`  body        ${letter.body}`);
        }
        if (values.id !== undefined && letters.length === 0) {
          process.stderr.write(`${name}: no message with id ${values.id} in ${queue}\n`);
          return EXIT.failure;
        }
        return EXIT.ok;
      });
    },
    argv,
  );
} else if (action === 'replay') {
  runCommand(
    { name, usage: USAGE.replay!, positionals: true, options: { id: { type: 'string' }, all: { type: 'boolean' } } },
    async ({ values, positionals }) => {
      const queue = queueOf(positionals);
      const selection = selectionOf(values);
      return withQueues(async (queues) => {
        const count = await requireQueue(queues, queue);
        const bar = progress({ label: `replaying ${queue}`, total: count });
        const outcome = await queues.replay(queue, selection, {
          onProgress: (p) => bar.update(p.seen, `${p.acted} replayed`),
        });
        bar.finish(outcome.total, `${outcome.replayed} replayed`);
        write(`${outcome.replayed} message(s) replayed from ${queue}; ${outcome.skipped.length} left in it`);
        for (const skip of outcome.skipped) write(`  left #${skip.position} ${skip.id || '(no id)'}: ${skip.why}`);
        if ('id' in selection && outcome.matched === 0) {
          process.stderr.write(`${name}: no message with id ${selection.id} in ${queue}\n`);
          return EXIT.failure;
        }
        return outcome.skipped.length > 0 ? EXIT.failure : EXIT.ok;
      });
    },
    argv,
  );
} else {
  runCommand(
    {
      name,
      usage: USAGE.discard!,
      positionals: true,
      options: { id: { type: 'string' }, all: { type: 'boolean' }, yes: { type: 'boolean' } },
    },
    async ({ values, positionals }) => {
      const queue = queueOf(positionals);
      const selection = selectionOf(values);
      if ('all' in selection && !values.yes) throw new UsageError(`--all removes every message in ${queue}: add --yes`);
      return withQueues(async (queues) => {
        const count = await requireQueue(queues, queue);
        const bar = progress({ label: `discarding from ${queue}`, total: count });
        const outcome = await queues.discard(queue, selection, {
          onProgress: (p) => bar.update(p.seen, `${p.acted} discarded`),
        });
        bar.finish(outcome.total, `${outcome.discarded} discarded`);
        write(`${outcome.discarded} message(s) discarded from ${queue}`);
        if ('id' in selection && outcome.discarded === 0) {
          process.stderr.write(`${name}: no message with id ${selection.id} in ${queue}\n`);
          return EXIT.failure;
        }
        return EXIT.ok;
      });
    },
    argv,
  );
}
