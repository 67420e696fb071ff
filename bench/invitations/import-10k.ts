// Invitations import benchmark: one POST /api/events/{id}/invitations/import with a 10,000-row CSV
// (email, full_name, role; every 50th row invalid), straight to the invitations service in its own
// process on 127.0.0.1 against the local MongoDB-wire server and RabbitMQ. Measures the request's
// time, the service's resident memory before, and its peak (VmHWM) after, and the outbox relay's
// publishing rate over the following minute (bounded). A stand-in serves the JWKS and events'
// GET /internal/events/{id}. Writes bench/reports/invitations.md; drops its database. Not a test.
//
//   node bench/invitations/import-10k.ts [--rows 10000] [--window 60] [--built] [--out FILE]
//
// The service reaches the store through a counting proxy (support/mongo-proxy.ts), so the relay's
// window reports store commands per published message beside the service's CPU per message (from
// /proc). It starts with kit's node flags, like every deployed service. --built runs it from
// infra/docker/build-service.sh's output (`node src/main.js`, as the image does); --window bounds
// the relay's watch in seconds; --out writes the report elsewhere than bench/reports/invitations.md.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MongoClient } from 'mongodb';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../packages/kit/src/server/node-flags.ts';
import { startMongoProxy } from '../support/mongo-proxy.ts';
import { cpuMs } from '../support/processes.ts';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 10_000;
const windowArg = process.argv.indexOf('--window');
const WINDOW_S = windowArg > 0 ? Number(process.argv[windowArg + 1]) : 60;
const outArg = process.argv.indexOf('--out');
const BUILT = process.argv.includes('--built');
const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = outArg > 0 ? process.argv[outArg + 1]! : `${root}bench/reports/invitations.md`;
let main = `${root}services/invitations/src/main.ts`;
const builtRoot = BUILT ? await mkdtemp('/tmp/convene-invitations-built-') : '';
if (BUILT) {
  const out = `${builtRoot}/invitations`;
  await promisify(execFile)('bash', [`${root}infra/docker/build-service.sh`, 'invitations', out], {
    cwd: root,
    timeout: 300_000,
  });
  main = `${out}/src/main.js`;
}
const proxy = await startMongoProxy();
const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const database = `bench_invitations_${Date.now().toString(36)}`;
const namespace = `bench_${Date.now().toString(36)}.`;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function memoryOf(pid: number): Promise<{ rssKiB: number; peakKiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssKiB: kib('VmRSS'), peakKiB: kib('VmHWM') };
}

const hostId = `bench-host-${randomUUID().slice(0, 8)}`;
const eventId = `bench-event-${randomUUID().slice(0, 8)}`;
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
const start = new Date(Date.now() + 30 * 86_400_000);
const snapshot = {
  event_id: eventId,
  title: 'Benchmark conference',
  description: 'Ten thousand invitees.',
  host: { user_id: hostId, email: 'host@example.com', name: 'Bench Host' },
  cohost_ids: [],
  start_time: start.toISOString(),
  end_time: new Date(start.getTime() + 7_200_000).toISOString(),
  location: 'Hall A',
  max_participants: 20_000,
  visibility: 'invite_only',
  is_active: true,
  requires_check_in: false,
  waitlist_mode: 'auto',
};
const standIn = createServer((req, res) => {
  if (req.url === '/.well-known/jwks.json') return res.end(JSON.stringify({ keys: [jwk] }));
  if (req.url === `/internal/events/${eventId}`) {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ event: snapshot, version: 1 }));
  }
  res.statusCode = 404;
  res.end('{}');
});
await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
const standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;

const mongo = new MongoClient(`${mongoBase}/${database}`);
try {
  const port = await freePort();
  child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, main], {
    env: {
      ...process.env,
      ...SERVICE_PROCESS_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      MONGO_URL: `${proxy.url}/${database}`,
      AMQP_URL: amqpUrl,
      BUS_NAMESPACE: namespace,
      AUTH_JWKS_URL: `${standInUrl}/.well-known/jwks.json`,
      EVENTS_URL: standInUrl,
      AUTH_URL: standInUrl,
      INVITATION_LINK_KEY: Buffer.alloc(32, 9).toString('base64'),
      CONSUMERS_ENABLED: 'false',
      JOBS_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`invitations exited with ${child.exitCode}`);
    if (i > 300) throw new Error('invitations did not start');
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = await new SignJWT({
    username: 'benchhost',
    email: 'host@example.com',
    name: 'Bench Host',
    role: 'user',
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setSubject(hostId)
    .setIssuer('convene-auth')
    .setAudience('convene')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

  const lines = ['email,full_name,role'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(
      i % 50 === 49
        ? `broken-row-${i},Nobody,attendee`
        : `guest${i}@bench.example.com,Guest ${i},${i % 10 === 0 ? 'viewer' : 'attendee'}`,
    );
  }
  const csv = `${lines.join('\n')}\n`;
  const before = await memoryOf(child.pid!);
  const t0 = performance.now();
  const reply = await fetch(`${url}/api/events/${eventId}/invitations/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const report = (await reply.json()) as { rows: number; created: number; failed: number; skipped: number };
  const importMs = performance.now() - t0;
  if (reply.status !== 200) throw new Error(`import answered ${reply.status}: ${JSON.stringify(report)}`);
  const after = await memoryOf(child.pid!);

  // The relay publishes afterwards at its own pace; watch it for a bounded minute and report the rate.
  const invitations = mongo.db().collection('invitations');
  const waitingAt = async () => invitations.countDocuments({ 'outbox.0': { $exists: true } });
  const relayStart = performance.now();
  const waitingBefore = await waitingAt();
  proxy.reset();
  const cpuBefore = cpuMs(child.pid!) ?? Number.NaN;
  let waiting = waitingBefore;
  while (waiting > 0 && performance.now() - relayStart < WINDOW_S * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    waiting = await waitingAt();
  }
  const relaySeconds = (performance.now() - relayStart) / 1000;
  const relayCpuMs = (cpuMs(child.pid!) ?? Number.NaN) - cpuBefore;
  const relayCommands = proxy.counts();
  const relayWritten = [...proxy.written().values()].reduce((a, b) => a + b, 0);
  const publishedInWindow = waitingBefore - waiting;
  const commandsTotal = [...relayCommands.values()].reduce((a, b) => a + b, 0);
  const perMessage = (n: number) => (n / Math.max(1, publishedInWindow)).toFixed(2);
  const commandsBy = [...relayCommands]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ${n}`)
    .join(', ');
  const peak = await memoryOf(child.pid!);
  const stored = await invitations.countDocuments({});

  const mib = (kib: number) => (kib / 1024).toFixed(1);
  const body = `# Invitations: a ${ROWS.toLocaleString('en')}-row CSV import

Run by \`node bench/invitations/import-10k.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}: the invitations service alone
(NODE_ENV=production, consumers and jobs off, kit's node flags; ${BUILT ? 'from its build: `node src/main.js`' : 'from its TypeScript source'}) in its own process, the local MongoDB-wire server
(mongo-java-server) and RabbitMQ, a stand-in for JWKS and events' internal read. One request,
\`text/csv\` body of ${(csv.length / 1024).toFixed(0)} KiB; every 50th row has an invalid email.
Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} at the end (other work was running).

| measure | value |
|---|---|
| rows / created / refused / skipped | ${report.rows} / ${report.created} / ${report.failed} / ${report.skipped} |
| invitations stored | ${stored} |
| import request (parse, validate, insert in batches of 500, each with its outbox entry) | ${(importMs / 1000).toFixed(1)} s (${Math.round(report.rows / (importMs / 1000))} rows/s) |
| outbox relay after the import: invitation.sent published / still waiting, in ${relaySeconds.toFixed(0)} s | ${publishedInWindow} / ${waiting} (${(publishedInWindow / relaySeconds).toFixed(0)} messages/s) |
| the relay's window: service CPU per published message | ${publishedInWindow ? Math.round((relayCpuMs * 1000) / publishedInWindow).toLocaleString('en') : '–'} µs (${(relayCpuMs / 1000).toFixed(1)} s of CPU) |
| the relay's window: store commands per published message (counted on the wire; the runner's own polling goes around the proxy) | ${perMessage(commandsTotal)} (${commandsTotal}: ${commandsBy || 'none'}); documents written per message: ${perMessage(relayWritten)} |
| service RSS before the import | ${mib(before.rssKiB)} MiB |
| service RSS right after the import | ${mib(after.rssKiB)} MiB |
| service peak RSS (VmHWM) over the whole run | ${mib(peak.peakKiB)} MiB |

The body is streamed through csv-parse and written in batches of IMPORT_BATCH_SIZE (500): by
design at most one batch of documents (and the first 1,000 row errors) is held at a time. The
measured growth (baseline → peak) includes the heap V8 keeps after the batches and has not been
compared against a larger file, so "bounded" rests on the design, not on this one run. The relay
then publishes the invitation.sent messages at its own pace (slowly on the test server: one claim
per document); the import does not wait for it.
`;
  await writeFile(OUT, body);
  process.stdout.write(body);
} finally {
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await mongo
    .db()
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  standIn.close();
  await proxy.close();
  if (builtRoot) await rm(builtRoot, { recursive: true, force: true });
}
