// Notifier benchmark. Two parts, every server its own Node process on 127.0.0.1, against the local
// MongoDB-wire server and RabbitMQ:
//  1. Email burst: 5,000 `invitation.sent` envelopes published straight to the bus in the
//     notifier's namespace, mailed to a minimal SMTP sink in this process. Emails per second,
//     p50/p99 from the envelope's `time` (its publication) to the sink's 250 (SMTP acceptance),
//     and the notifier's RSS idle and after the burst. Once with the nodemailer pool, once without.
//  2. Real time: two notifier replicas, the gateway in front of replica A (which consumes
//     nothing and holds the sockets) and replica B consuming: 200 users each with a WebSocket
//     through the gateway (token in the subprotocol), one invitation each, published one after the
//     other; p50/p99 from publication to the notice arriving on the user's socket (always crossing
//     from B to A over the broadcast exchange).
// Writes bench/reports/notifier.md (text after a `<!-- notes -->` line in the existing report is
// kept). Bounded: every wait has a limit, every process it started is stopped, its databases
// dropped and its broker topology deleted. Not a test: nothing here asserts speed.
//
//   node bench/notifier/run.ts [--emails 5000] [--sockets 200] [--only pool|no-pool|ws] [--profile]
//                              [--built] [--out FILE]
//
// --built starts the notifier (and the gateway) from infra/docker/build-service.sh's output
// (`node src/main.js`, as the image runs it) instead of the TypeScript source; --out writes the
// report elsewhere than bench/reports/notifier.md. Each burst's notifier reaches the store through
// a counting proxy (support/mongo-proxy.ts): store commands per email, by command and collection,
// and the documents each collection holds afterwards per email.
//
// --profile starts the burst's notifier with --cpu-prof (profiles in /tmp/convene-notifier-prof).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { Bus } from '../../packages/bus/src/index.ts';
import { type DomainEvent, envelope } from '../../packages/contracts/src/index.ts';
import { type ProfileSummary, summariseCpuProfile } from '../support/cpu-profile.ts';
import { startIssuer } from '../support/issuer.ts';
import { startMongoProxy } from '../support/mongo-proxy.ts';
import { cpuMs, rssMb, type Server, startProcess, stopAll, stopProcess } from '../support/processes.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const EMAILS = Number(arg('emails', '5000'));
const SOCKETS = Number(arg('sockets', '200'));
const ONLY = arg('only', 'all');
const PROFILE = process.argv.includes('--profile');
const PROFILE_DIR = '/tmp/convene-notifier-prof';
const BURST_TIMEOUT_MS = 300_000;
const STALL_TIMEOUT_MS = 60_000;

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = process.argv.includes('--built');
const builtRoot = BUILT ? (await import('node:fs')).mkdtempSync('/tmp/convene-notifier-built-') : '';
async function mainOf(service: string): Promise<string> {
  if (!BUILT) return `${root}services/${service}/src/main.ts`;
  await promisify(execFile)('bash', [`${root}infra/docker/build-service.sh`, service, `${builtRoot}/${service}`], {
    cwd: root,
    timeout: 300_000,
  });
  return `${builtRoot}/${service}/src/main.js`;
}
const notifierMain = await mainOf('notifier');
const gatewayMain = await mainOf('gateway');
const reportPath = arg('out', fileURLToPath(new URL('../reports/notifier.md', import.meta.url)));
const mongoBase = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const tag = Date.now().toString(36);
const databases: string[] = [];
const namespaces: string[] = [];

// smtp-server is a dependency of @convene/testing; the bench borrows it rather than adding its own.
const fromTesting = createRequire(`${root}packages/testing/package.json`);
const { SMTPServer } = fromTesting('smtp-server') as typeof import('smtp-server');

/**
 * The mail sink: a real SMTP server that reads each message to its end and answers 250, noting
 * when and for whom (no parsing: the sink must not be what limits the rate).
 */
async function startSink() {
  const accepted = new Map<string, number[]>();
  let onAccept: () => void = () => {};
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 10_000,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        const at = Date.now();
        for (const rcpt of session.envelope.rcptTo) {
          const list = accepted.get(rcpt.address) ?? [];
          list.push(at);
          accepted.set(rcpt.address, list);
        }
        callback();
        onAccept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    accepted,
    get connections() {
      return connections;
    },
    reset() {
      accepted.clear();
      connections = 0;
    },
    /** Resolves once `count` distinct addresses got mail; rejects on the bound or a long stall. */
    waitForCount(count: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        let last = Date.now();
        let seen = accepted.size;
        const timer = setInterval(() => {
          if (accepted.size !== seen) {
            seen = accepted.size;
            last = Date.now();
          }
          if (Date.now() - started > BURST_TIMEOUT_MS || Date.now() - last > STALL_TIMEOUT_MS) {
            clearInterval(timer);
            onAccept = () => {};
            reject(new Error(`only ${accepted.size} of ${count} emails arrived`));
          }
        }, 1_000);
        onAccept = () => {
          if (accepted.size < count) return;
          clearInterval(timer);
          onAccept = () => {};
          resolve();
        };
        onAccept();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function peakRssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'))?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function notifierEnv(run: string, issuerJwks: string, extra: Record<string, string> = {}) {
  const database = `bench_notifier_${tag}_${run}`;
  const namespace = `bench_ntf_${tag}_${run}.`;
  databases.push(database);
  namespaces.push(namespace);
  return {
    env: {
      MONGO_URL: `${mongoBase}/${database}`,
      AMQP_URL: amqpUrl,
      BUS_NAMESPACE: namespace,
      AUTH_JWKS_URL: issuerJwks,
      PUBLIC_URL: 'http://127.0.0.1:8080',
      UNSUBSCRIBE_SECRET: randomUUID() + randomUUID(),
      ...extra,
    },
    database,
    namespace,
  };
}

function invitation(i: number, run: string, userId: string | null = null) {
  const start = new Date(Date.now() + 14 * 86_400_000).toISOString();
  return envelope({
    type: 'invitation.sent',
    source: 'bench',
    subject: `invitation/bench-${run}-${i}`,
    data: {
      invitation_id: `inv-${run}-${i}`,
      event_id: `evt-${run}-${i % 50}`,
      event_title: `Benchmark meetup ${i % 50}`,
      event_start_time: start,
      invitee: { user_id: userId, email: `guest${i}-${run}@bench.test`, name: `Guest ${i}` },
      invited_by: { user_id: 'bench-host', email: 'host@bench.test', name: 'Bench Host' },
      role: 'attendee',
      is_vip: false,
      bypass_capacity: false,
      message: 'See you there <3',
      invite_url: `http://127.0.0.1:8080/invite/${randomUUID()}`,
      expires_at: start,
    },
  }) as DomainEvent<'invitation.sent'>;
}

interface BurstResult {
  name: string;
  emails: number;
  duplicates: number;
  publishMs: number;
  totalMs: number;
  sendingMs: number;
  p50: number;
  p99: number;
  max: number;
  idleRss: number | undefined;
  afterRss: number | undefined;
  peakRss: number | undefined;
  cpuMs: number | undefined;
  smtpConnections: number;
  sentInLog: number;
  /** Store commands the notifier sent from just before the first publication to the last acceptance. */
  commands: Map<string, number>;
  /** Documents those commands wrote, as the store answered them. */
  written: Map<string, number>;
  /** Documents each collection of its database held after the burst. */
  documents: Record<string, number>;
  /** With --profile: the notifier's samples from the first publication to the last acceptance. */
  profile?: ProfileSummary;
}

async function burst(
  name: string,
  pool: boolean,
  sink: Awaited<ReturnType<typeof startSink>>,
  jwks: string,
): Promise<BurstResult> {
  const run = pool ? 'pool' : 'nopool';
  const { env, database, namespace } = notifierEnv(run, jwks, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_POOL: String(pool),
  });
  const proxy = await startMongoProxy();
  env.MONGO_URL = `${proxy.url}/${database}`;
  const notifier = await startProcess(`notifier-${run}`, notifierMain, env, {
    nodeArgs: PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=notifier-${run}.cpuprofile`]
      : [],
  });
  const bus = await Bus.connect({ url: amqpUrl, service: 'bench-publisher', namespace });
  let result: BurstResult | undefined;
  const windowUs: [number, number] = [0, 0];
  try {
    // Let start-up garbage settle before calling anything "idle" (a benchmark may wait; a test may not).
    await new Promise((r) => setTimeout(r, 3_000));
    const idleRss = rssMb(notifier.pid);
    const cpuBefore = cpuMs(notifier.pid);
    proxy.reset();
    sink.reset();
    const events = Array.from({ length: EMAILS }, (_, i) => invitation(i, run));
    const publishedAt = new Map(events.map((e) => [e.data.invitee.email, Date.parse(e.time)]));
    const t0 = Date.parse(events[0]!.time);
    windowUs[0] = Number(process.hrtime.bigint() / 1000n);
    const arrived = sink.waitForCount(EMAILS);
    for (let i = 0; i < events.length; i += 500) await bus.publish(events.slice(i, i + 500));
    const publishMs = Date.now() - t0;
    await arrived;
    windowUs[1] = Number(process.hrtime.bigint() / 1000n);
    const afterRss = rssMb(notifier.pid);
    const cpuAfter = cpuMs(notifier.pid);
    const commands = proxy.counts();
    const written = proxy.written();
    const latencies: number[] = [];
    let duplicates = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const [address, times] of sink.accepted) {
      const sentAt = publishedAt.get(address);
      if (sentAt === undefined) continue;
      duplicates += times.length - 1;
      latencies.push(times[0]! - sentAt);
      first = Math.min(first, times[0]!);
      last = Math.max(last, times[0]!);
    }
    latencies.sort((a, b) => a - b);
    const mongo = new MongoClient(`${mongoBase}/${database}`);
    let sentInLog = 0;
    const documents: Record<string, number> = {};
    try {
      await mongo.connect();
      // The log records an acceptance just after the 250 arrives: give the last ones a bounded moment.
      const until = Date.now() + 30_000;
      do {
        sentInLog = await mongo.db(database).collection('deliveries').countDocuments({ status: 'sent' });
        if (sentInLog >= EMAILS) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < until);
      for (const { name } of await mongo.db(database).listCollections({}, { nameOnly: true }).toArray()) {
        documents[name] = await mongo.db(database).collection(name).countDocuments({});
      }
    } finally {
      await mongo.close();
    }
    result = {
      name,
      emails: latencies.length,
      duplicates,
      publishMs,
      totalMs: last - t0,
      sendingMs: last - first,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      idleRss,
      afterRss,
      peakRss: peakRssMb(notifier.pid),
      cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      smtpConnections: sink.connections,
      sentInLog,
      commands,
      written,
      documents,
    };
    console.error(
      `${name}: ${result.emails} emails in ${result.totalMs} ms = ${Math.round((result.emails * 1000) / result.totalMs)}/s, ` +
        `p50 ${result.p50} ms, p99 ${result.p99} ms, RSS ${idleRss} → ${afterRss} MB (peak ${result.peakRss}), ` +
        `${result.smtpConnections} SMTP connections, ${sentInLog} sent in the log, ${duplicates} duplicates`,
    );
    return result;
  } finally {
    await bus.close();
    await stopProcess(notifier.child);
    await proxy.close();
    // The profile is written on the way out: only the burst's samples (the same monotonic clock).
    if (PROFILE && result) {
      const text = await readFile(`${PROFILE_DIR}/notifier-${run}.cpuprofile`, 'utf8').catch(() => undefined);
      if (text)
        result.profile = summariseCpuProfile(text, { fromUs: windowUs[0], toUs: windowUs[1], workspaceRoot: root });
    }
  }
}

interface RealtimeResult {
  sockets: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
}

/** Replica A (sockets, no consumers) behind the gateway, replica B (consumers) alone. */
async function realtime(jwks: string, mint: (i: number) => Promise<string>, sink: { port: number }) {
  const { env } = notifierEnv('ws', jwks, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) });
  const servers: Server[] = [];
  const bus = await Bus.connect({ url: amqpUrl, service: 'bench-publisher', namespace: env.BUS_NAMESPACE });
  const sockets: WebSocket[] = [];
  try {
    const a = await startProcess('notifier-a', notifierMain, { ...env, CONSUMERS_ENABLED: 'false' });
    const b = await startProcess('notifier-b', notifierMain, env);
    servers.push(a, b);
    const nowhere = 'http://127.0.0.1:9';
    const gateway = await startProcess('gateway', gatewayMain, {
      AUTH_URL: nowhere,
      EVENTS_URL: nowhere,
      INVITATIONS_URL: nowhere,
      FEEDBACK_URL: nowhere,
      NOTIFIER_URL: a.url,
      AUTH_JWKS_URL: jwks,
      RATE_LIMIT_PER_IP: '1000000000',
      RATE_LIMIT_PER_USER: '1000000000',
    });
    servers.push(gateway);

    const waiting = new Map<string, (at: number) => void>();
    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/api/notifications/ws`;
    for (let i = 0; i < SOCKETS; i++) {
      const token = await mint(i);
      const socket = new WebSocket(wsUrl, ['convene.v1', `bearer.${token}`]);
      const userId = `bench-user-${i}`;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`socket ${i} not ready`)), 20_000);
        socket.addEventListener('message', (message) => {
          const frame = JSON.parse(String(message.data)) as { type: string };
          if (frame.type === 'ready') {
            clearTimeout(timer);
            resolve();
          } else if (frame.type === 'notification') {
            waiting.get(userId)?.(Date.now());
          }
        });
        socket.addEventListener('error', () => reject(new Error(`socket ${i} failed`)), { once: true });
      });
      sockets.push(socket);
    }
    // One warm-up round trip (first publish, first JIT of the path), not measured.
    const latencies: number[] = [];
    for (let i = -1; i < SOCKETS; i++) {
      const user = Math.max(i, 0);
      const event = invitation(i + 1, `ws${i < 0 ? 'warm' : ''}`, `bench-user-${user}`);
      const got = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notice for user ${user} within 20 s`)), 20_000);
        waiting.set(`bench-user-${user}`, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      await bus.publish([event]);
      const at = await got;
      waiting.delete(`bench-user-${user}`);
      if (i >= 0) latencies.push(at - Date.parse(event.time));
    }
    latencies.sort((x, y) => x - y);
    const result: RealtimeResult = {
      sockets: sockets.length,
      received: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    };
    console.error(
      `realtime: ${result.received} notices, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max}`,
    );
    return result;
  } finally {
    for (const socket of sockets) socket.close();
    await bus.close();
    for (const server of servers.reverse()) await stopProcess(server.child);
  }
}

/** Drops the bench databases and deletes the queues and exchanges of its namespaces. */
async function cleanUp() {
  const mongo = new MongoClient(mongoBase);
  try {
    await mongo.connect();
    for (const database of databases)
      await mongo
        .db(database)
        .dropDatabase()
        .catch(() => {});
  } finally {
    await mongo.close();
  }
  const ctl = existsSync('/usr/sbin/rabbitmqctl') ? '/usr/sbin/rabbitmqctl' : 'rabbitmqctl';
  const list = async (kind: string) =>
    (await promisify(execFile)(ctl, ['-q', kind, 'name', '--no-table-headers'], { timeout: 60_000 })).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((name) => namespaces.some((ns) => name.startsWith(ns)));
  const [queues, exchanges] = await Promise.all([list('list_queues'), list('list_exchanges')]).catch(() => [[], []]);
  if (queues.length + exchanges.length === 0) return;
  const bus = await Bus.connect({ url: amqpUrl, service: 'bench-cleanup', namespace: `bench_ntf_${tag}_cleanup.` });
  try {
    const channel = await bus.connection.model!.createChannel();
    // The clean-up connection's own namespace declared an unrouted queue too.
    for (const queue of [...queues, `bench_ntf_${tag}_cleanup.convene.unrouted`]) await channel.deleteQueue(queue);
    for (const exchange of [
      ...exchanges,
      `bench_ntf_${tag}_cleanup.convene.events`,
      `bench_ntf_${tag}_cleanup.convene.unrouted`,
    ]) {
      await channel.deleteExchange(exchange);
    }
    await channel.close();
  } finally {
    await bus.close();
  }
}

const loadBefore = loadavg()[0]!;
const issuer = await startIssuer();
const sink = await startSink();
const bursts: BurstResult[] = [];
let live: RealtimeResult | undefined;
try {
  if (ONLY === 'all' || ONLY === 'pool')
    bursts.push(await burst('pool on (5 connections)', true, sink, issuer.jwksUrl));
  if (ONLY === 'all' || ONLY === 'no-pool') bursts.push(await burst('pool off', false, sink, issuer.jwksUrl));
  if (ONLY === 'all' || ONLY === 'ws') live = await realtime(issuer.jwksUrl, issuer.mint, sink);
} finally {
  await stopAll();
  await sink.close();
  issuer.close();
  await cleanUp().catch((err) => console.error('clean-up failed:', err));
  if (builtRoot) await rm(builtRoot, { recursive: true, force: true });
}

const rate = (r: BurstResult) => Math.round((r.emails * 1000) / r.totalMs).toLocaleString('en-US');
const rows = bursts.map(
  (r) =>
    `| ${r.name} | ${rate(r)} | ${Math.round((r.emails * 1000) / r.sendingMs).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.max} | ${r.idleRss} | ${r.afterRss} (peak ${r.peakRss}) | ${r.cpuMs === undefined ? '?' : (r.cpuMs / 1000).toFixed(1)} | ${r.smtpConnections} | ${r.emails} / ${r.sentInLog} / ${r.duplicates} |`,
);
const perEmail = (n: number, r: BurstResult) => (n / Math.max(1, r.emails)).toFixed(2);
const costs = bursts.map((r) => {
  const total = [...r.commands.values()].reduce((a, b) => a + b, 0);
  const docs = Object.values(r.documents).reduce((a, b) => a + b, 0);
  const by = [...r.commands]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ${perEmail(n, r)}`)
    .join(', ');
  const wrote = [...r.written.values()].reduce((a, b) => a + b, 0);
  const wroteBy = [...r.written]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ${perEmail(n, r)}`)
    .join(', ');
  const held = Object.entries(r.documents)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${perEmail(n, r)}`)
    .join(', ');
  return `| ${r.name} | ${r.cpuMs === undefined ? '?' : Math.round((r.cpuMs * 1000) / Math.max(1, r.emails)).toLocaleString('en-US')} | ${perEmail(total, r)} (${by}) | ${perEmail(wrote, r)} (${wroteBy}) | ${perEmail(docs, r)} (${held}) |`;
});
const pctText = (share: number) => `${(share * 100).toFixed(1)}%`;
const profiles = bursts
  .filter((r) => r.profile)
  .map((r) => {
    const p = r.profile!;
    const top = p.top
      .map(
        (f, i) =>
          `| ${i + 1} | \`${f.frame}\` | ${f.samples} | ${pctText(f.share)} | ${f.caller ? `\`${f.caller.frame}\` (${Math.round((f.caller.samples / f.samples) * 100)}%)` : '–'} |`,
      )
      .join('\n');
    const list = (lines: { frame: string; share: number }[]) =>
      lines
        .slice(0, 12)
        .map((l) => `${l.frame} ${pctText(l.share)}`)
        .join(', ');
    return `### ${r.name}: where the notifier's CPU goes (\`--profile\`, the burst's samples only)

${p.samples} samples (about ${p.intervalMs.toFixed(2)} ms apart), ${p.busy} of them busy.

| # | self-time frame (function, script) | samples | share of busy | nearest caller outside Node |
|---|---|---|---|---|
${top}

Self time by package: ${list(p.packages)}.

Package anywhere on the (synchronous) stack: ${list(p.onStack)}.
`;
  });
const previous = existsSync(reportPath) ? await readFile(reportPath, 'utf8') : '';
const notesAt = previous.indexOf('<!-- notes -->');
const notes = notesAt === -1 ? '<!-- notes -->\n' : previous.slice(notesAt);
const report = `# Notifier benchmark

Generated by \`node bench/notifier/run.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.
1-minute load average at the start: ${loadBefore.toFixed(1)} (the machine is shared with other sessions' test runs, so absolute
numbers vary between runs). Database: the local MongoDB-wire server (mongo-java-server), reached through a counting
proxy in the runner (one more local hop); broker: the local RabbitMQ. Services ran from ${BUILT ? 'their build (`bash infra/docker/build-service.sh <svc> <tmp>`, then `node src/main.js` there)' : 'their TypeScript source (`node services/<svc>/src/main.ts`)'}, with kit's node flags.

## Email burst

${EMAILS.toLocaleString('en-US')} \`invitation.sent\` envelopes (distinct invitees, no account, 50 events) published straight to the bus in the
notifier's namespace, in batches of 500; the notifier runs alone in its own process with its defaults
(SEND_BATCH, SEND_CONCURRENCY, SMTP_MAX_CONNECTIONS); the SMTP sink is a minimal smtp-server in the runner that reads
each message and answers 250. Latency: from the envelope's \`time\` (set when it is published) to the sink's 250.
"emails/s" is emails ÷ (last acceptance − first publication); "while sending" divides by (last − first acceptance).
RSS idle is 3 s after start; "after" is right after the last email, "peak" the process's high-water mark.

| run | emails/s | emails/s while sending | p50 ms | p99 ms | max ms | RSS idle MB | RSS after MB | notifier CPU s | SMTP connections | received / sent in log / duplicates |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n') || '| (not run) |'}

Per email (counted on the wire by a proxy between the notifier and the store, over the same window as the CPU):

| run | notifier CPU µs per email | store commands per email (by command and collection) | documents written per email (as the store answered each write) | documents held afterwards per email (by collection) |
|---|---|---|---|---|
${costs.join('\n') || '| (not run) |'}

${profiles.join('\n')}
## Real-time notices, two replicas

${
  live
    ? `${live.sockets} users, each with one WebSocket through the gateway to replica A (token in \`Sec-WebSocket-Protocol: convene.v1, bearer.<jwt>\`);
replica A consumes nothing, replica B consumes the bus, so every notice crosses replicas over the broadcast exchange. One
\`invitation.sent\` per user, published one after the other (each waits for its notice): from the envelope's \`time\` to
the frame on the user's socket. This is the path behind "B sees the invitation the moment A invites"; an invitation made
through the invitations service adds its outbox relay's delay before publication (OUTBOX_POLL_MS, or the nudge after the write).

| notices | p50 ms | p99 ms | max ms |
|---|---|---|---|
| ${live.received} of ${live.sockets} | ${live.p50} | ${live.p99} | ${live.max} |`
    : '(not run)'
}

${notes}`;
await writeFile(reportPath, report);
console.log(report);
process.exit(0);
