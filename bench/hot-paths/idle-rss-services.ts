// Idle RSS of every service, run from its TypeScript source and from its build, one process at a
// time: the build is infra/docker/build-service.sh's output (`node src/main.js` in a folder of its
// own, what the image and ./convene start run), the source is `node services/<svc>/src/main.ts`.
// Both with kit's node flags (node-flags.ts), NODE_ENV=production, no OTLP endpoint. Each start is
// read 3 s after /healthz answered (VmRSS and RssAnon, the memory the process holds alone), then
// stopped; source and built alternate so a drifting machine tilts neither.
// Bounded: one service process at a time, each stopped; databases dropped, broker namespace deleted.
//
//   node bench/hot-paths/idle-rss-services.ts [--starts=2] [service ...]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { deleteBrokerNamespace } from '../support/broker.ts';
import { startIssuer } from '../support/issuer.ts';
import { startProcess, stopProcess } from '../support/processes.ts';

const ALL = ['gateway', 'auth', 'events', 'invitations', 'feedback', 'notifier'];
const STARTS = Number(process.argv.find((a) => a.startsWith('--starts='))?.split('=')[1] ?? 2);
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const services = named.length ? named : ALL;
const root = fileURLToPath(new URL('../../', import.meta.url));
const mongoBase = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const tag = `bench_rss_${Date.now().toString(36)}`;
const scratch = await mkdtemp(join(tmpdir(), 'convene-idle-rss-'));
// Random: invitations refuses its development key in production.
const linkKey = randomBytes(32).toString('base64');

function memory(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => Math.round(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024);
  return { rss: mb('VmRSS'), anon: mb('RssAnon') };
}

const issuer = await startIssuer();
const mongo = new MongoClient(mongoBase);
const nowhere = 'http://127.0.0.1:9';
const env = (service: string): Record<string, string> => ({
  MONGO_URL: `${mongoBase}/${tag}_${service}`,
  AMQP_URL: amqpUrl,
  AUTH_JWKS_URL: issuer.jwksUrl,
  BUS_NAMESPACE: `${tag}_${service}.`,
  // The gateway's upstreams are never called while it idles.
  AUTH_URL: nowhere,
  EVENTS_URL: nowhere,
  INVITATIONS_URL: nowhere,
  FEEDBACK_URL: nowhere,
  NOTIFIER_URL: nowhere,
  SIGNING_KEY_SECRET: `bench-${tag}-0123456789abcdef0123456789abcdef`,
  INVITATION_LINK_KEY: linkKey,
  // The notifier refuses its development default in production.
  UNSUBSCRIBE_SECRET: randomBytes(32).toString('base64'),
  PUBLIC_URL: 'http://127.0.0.1:8080',
});
const rows: string[] = [];
try {
  for (const service of services) {
    const built = join(scratch, service);
    await promisify(execFile)('bash', [`${root}infra/docker/build-service.sh`, service, built], {
      cwd: root,
      timeout: 300_000,
    });
    const files = { source: `${root}services/${service}/src/main.ts`, built: join(built, 'src/main.js') };
    const readings: Record<'source' | 'built', { rss: number; anon: number }[]> = { source: [], built: [] };
    for (let i = 0; i < STARTS; i++) {
      for (const mode of ['source', 'built'] as const) {
        const server = await startProcess(`${service} (${mode})`, files[mode], env(service));
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        readings[mode].push(memory(server.pid));
        await stopProcess(server.child);
      }
    }
    const show = (list: { rss: number; anon: number }[]) =>
      `${list.map((r) => r.rss).join(' / ')} (anon ${list.map((r) => r.anon).join(' / ')})`;
    const row = `| ${service} | ${show(readings.source)} | ${show(readings.built)} |`;
    console.log(row);
    rows.push(row);
  }
} finally {
  for (const service of services) {
    await mongo
      .db(`${tag}_${service}`)
      .dropDatabase()
      .catch(() => {});
  }
  await mongo.close();
  await deleteBrokerNamespace(amqpUrl, `${tag}_`).catch(() => {});
  issuer.close();
  await rm(scratch, { recursive: true, force: true });
}
console.log(
  `\n| service | source: VmRSS MB per start (RssAnon) | built: VmRSS MB per start (RssAnon) |\n|---|---|---|`,
);
for (const row of rows) console.log(row);
