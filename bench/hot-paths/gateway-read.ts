// The gateway alone under the event read: events and the gateway as their own processes, the
// gateway with --cpu-prof; GET /api/events/{id} straight to events, then through the gateway,
// alternately; prints rates, CPU µs per request of each process and the gateway's top frames.
// Bounded: fixed rounds and durations; both processes stopped, the database dropped, the broker
// namespace deleted.
//
//   node bench/hot-paths/gateway-read.ts [--rounds=2] [--seconds=3]
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { deleteBrokerNamespace } from '../support/broker.ts';
import { summariseCpuProfile } from '../support/cpu-profile.ts';
import { startIssuer } from '../support/issuer.ts';
import { httpRate } from '../support/load.ts';
import { cpuMs, type Server, startProcess, stopAll, stopProcess } from '../support/processes.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = arg('rounds', 2);
const SECONDS = arg('seconds', 3);
const root = fileURLToPath(new URL('../../', import.meta.url));
const mongoBase = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const tag = `bench_gw_${Date.now().toString(36)}`;
const dir = await mkdtemp(join(tmpdir(), 'convene-gateway-read-'));
const issuer = await startIssuer();
const mongo = new MongoClient(mongoBase);
try {
  const events = await startProcess('events', `${root}services/events/src/main.ts`, {
    MONGO_URL: `${mongoBase}/${tag}`,
    AMQP_URL: amqpUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    BUS_NAMESPACE: `${tag}.`,
  });
  const gateway = await startProcess(
    'gateway',
    `${root}services/gateway/src/main.ts`,
    {
      AUTH_URL: events.url,
      EVENTS_URL: events.url,
      INVITATIONS_URL: events.url,
      FEEDBACK_URL: events.url,
      NOTIFIER_URL: events.url,
      AUTH_JWKS_URL: issuer.jwksUrl,
      RATE_LIMIT_PER_IP: '1000000000',
      RATE_LIMIT_PER_USER: '1000000000',
    },
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
  );
  const created = await fetch(`${events.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.mint(1)}` },
    body: JSON.stringify({
      title: 'Read me',
      start_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      location: 'Arena',
      max_participants: 10,
    }),
  });
  const { id } = (await created.json()) as { id: string };
  const totals: Record<string, { ops: number; seconds: number; cpu: Record<string, number> }> = {};
  const measure = async (what: string, url: string, servers: Server[]) => {
    const before = servers.map((s) => cpuMs(s.pid) ?? 0);
    const rate = await httpRate(url, { connections: 50, seconds: SECONDS });
    const total = totals[what] ?? { ops: 0, seconds: 0, cpu: {} };
    totals[what] = total;
    total.ops += rate.ops;
    total.seconds += rate.seconds;
    servers.forEach((s, i) => {
      total.cpu[s.name] = (total.cpu[s.name] ?? 0) + ((cpuMs(s.pid) ?? 0) - before[i]!);
    });
    console.log(`${what}: ${Math.round(rate.perSecond)}/s, failed ${rate.failed}`);
  };
  const from = Number(process.hrtime.bigint() / 1000n);
  for (let round = 0; round < ROUNDS; round++) {
    await measure('direct', `${events.url}/api/events/${id}`, [events]);
    await measure('through the gateway', `${gateway.url}/api/events/${id}`, [events, gateway]);
  }
  const to = Number(process.hrtime.bigint() / 1000n);
  for (const [what, t] of Object.entries(totals)) {
    const cpu = Object.entries(t.cpu)
      .map(([name, ms]) => `${name} ${Math.round((ms * 1000) / (t.ops * (1 + 1 / SECONDS)))} µs`)
      .join(', ');
    console.log(`${what}: mean ${Math.round(t.ops / t.seconds)}/s; CPU per request: ${cpu}`);
  }
  const d = totals.direct;
  const g = totals['through the gateway'];
  if (d && g) console.log(`gateway / direct: ${((g.ops / g.seconds / (d.ops / d.seconds)) * 100).toFixed(1)}%`);
  await stopProcess(gateway.child);
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    const profile = summariseCpuProfile(await readFile(join(dir, file), 'utf8'), {
      fromUs: from,
      toUs: to,
      workspaceRoot: root,
      top: 25,
    });
    for (const line of profile.top) {
      console.log(`${line.samples}\t${(line.share * 100).toFixed(1)}%\t${line.frame}\t<- ${line.caller?.frame ?? ''}`);
    }
    console.log(profile.onStack.map((l) => `${l.frame} ${(l.share * 100).toFixed(0)}%`).join(', '));
  }
} finally {
  await stopAll();
  await mongo
    .db(tag)
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  await deleteBrokerNamespace(amqpUrl, `${tag}.`).catch(() => {});
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
}
