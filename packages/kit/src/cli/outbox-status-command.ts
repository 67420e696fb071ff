// `./convene outbox:status [SERVICE]`: what each service has written but not yet published.
import { connectMongo } from '../mongo/connect-mongo.ts';
import { databaseUrl, SERVICES_WITH_DATABASE } from './operator-env.ts';
import { ageOf, type DatabaseBacklog, outboxBacklog } from './outbox-backlog.ts';
import { EXIT, runCommand, UsageError } from './run-command.ts';

const LOCAL_MONGO_BASE = 'mongodb://127.0.0.1:27017';

const USAGE = `Usage: ./convene outbox:status [SERVICE] [--mongo-base URL] [--collections]

Per service (${SERVICES_WITH_DATABASE.join(', ')}): the backlog, envelopes written to the
outbox but not yet confirmed by the broker, in how many documents (and how many a relay holds
right now), and the age of the oldest. A backlog that only grows while the broker is up means no
relay is publishing: is the service running?
--collections breaks each service down by collection.

Where the databases are:
  for one SERVICE     MONGO_URL when set (the service's own), otherwise <base>/convene_<service>
  for every service   <base>/convene_<service>, the databases ./convene start uses
  <base> is --mongo-base, else MONGO_BASE_URL, else ${LOCAL_MONGO_BASE}.
Exits 1 when a database cannot be read.`;

runCommand(
  {
    name: 'outbox:status',
    usage: USAGE,
    positionals: true,
    options: { 'mongo-base': { type: 'string' }, collections: { type: 'boolean' } },
  },
  async ({ values, positionals }) => {
    const [only, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
    if (only !== undefined && !(SERVICES_WITH_DATABASE as readonly string[]).includes(only)) {
      throw new UsageError(`no service ${only} with a database (${SERVICES_WITH_DATABASE.join(', ')})`);
    }
    const base = values['mongo-base'] ?? process.env.MONGO_BASE_URL ?? LOCAL_MONGO_BASE;
    const targets = (only ? [only] : [...SERVICES_WITH_DATABASE]).map((service) => ({
      service,
      url: only && process.env.MONGO_URL && !values['mongo-base'] ? process.env.MONGO_URL : databaseUrl(base, service),
    }));
    const now = new Date();
    let failed = 0;
    process.stdout.write(
      `${'SERVICE'.padEnd(12)} ${'BACKLOG'.padStart(8)} ${'DOCUMENTS'.padStart(10)} ${'LEASED'.padStart(7)}  OLDEST\n`,
    );
    for (const { service, url } of targets) {
      let backlog: DatabaseBacklog;
      try {
        const connection = await connectMongo(url, { serverSelectionTimeoutMS: 3_000 });
        try {
          backlog = await outboxBacklog(connection, now);
        } finally {
          await connection.close();
        }
      } catch (err) {
        failed++;
        process.stdout.write(`${service.padEnd(12)} cannot read ${redact(url)}: ${(err as Error).message}\n`);
        continue;
      }
      const oldest = backlog.oldest ? `${ageOf(backlog.oldest, now)} (${backlog.oldest.toISOString()})` : '-';
      process.stdout.write(
        `${service.padEnd(12)} ${String(backlog.envelopes).padStart(8)} ${String(backlog.documents).padStart(10)} ${String(backlog.leased).padStart(7)}  ${oldest}\n`,
      );
      if (values.collections) {
        for (const c of backlog.collections) {
          const age = c.oldest ? ageOf(c.oldest, now) : '-';
          process.stdout.write(
            `  ${c.collection.padEnd(10)} ${String(c.envelopes).padStart(8)} ${String(c.documents).padStart(10)} ${String(c.leased).padStart(7)}  ${age}\n`,
          );
        }
      }
    }
    return failed > 0 ? EXIT.failure : EXIT.ok;
  },
);

/** A URL's password never reaches the terminal (or a log that captures it). */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
