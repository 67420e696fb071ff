// Store round trips per request of the events service, counted on the wire: events talks to the
// store through a counting proxy (support/mongo-proxy.ts); N registrations (one user each, one at
// a time, straight to events), the relay's publishing of their envelopes, and N event reads.
// Bounded: fixed counts; the process it starts is stopped, its database dropped, its broker
// namespace deleted. Prints a table; writes nothing.
//
//   node bench/hot-paths/round-trips.ts [--n=100]
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { deleteBrokerNamespace } from '../support/broker.ts';
import { startIssuer } from '../support/issuer.ts';
import { startMongoProxy } from '../support/mongo-proxy.ts';
import { startProcess, stopAll } from '../support/processes.ts';

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.split('=')[1] ?? 100);
const root = fileURLToPath(new URL('../../', import.meta.url));
const mongoBase = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const tag = `bench_rt_${Date.now().toString(36)}`;

const issuer = await startIssuer();
const proxy = await startMongoProxy();
const mongo = new MongoClient(mongoBase);
const show = (title: string, counts: Map<string, number>, per: number, written = new Map<string, number>()) => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const wrote = [...written.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\n${title}: ${(total / per).toFixed(2)} store commands each (${total} for ${per}), ${(wrote / per).toFixed(2)} documents written each`,
  );
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    const docs = written.get(key);
    console.log(
      `  ${(n / per).toFixed(2)}  ${key}${docs === undefined ? '' : ` (${(docs / per).toFixed(2)} documents written)`}`,
    );
  }
};
try {
  const events = await startProcess('events', `${root}services/events/src/main.ts`, {
    MONGO_URL: `${proxy.url}/${tag}`,
    AMQP_URL: amqpUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    BUS_NAMESPACE: `${tag}.`,
    EVENT_CREATE_LIMIT: '1000000',
  });
  const host = await issuer.mint(1);
  const created = await fetch(`${events.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host}` },
    body: JSON.stringify({
      title: 'Round trips',
      start_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      location: 'Arena',
      max_participants: N + 10,
    }),
  });
  const { id } = (await created.json()) as { id: string };
  const tokens = await Promise.all(Array.from({ length: N }, (_, i) => issuer.mint(1000 + i)));
  // Idle polling (jobs, the relay's backstop) is counted apart: a quiet second first.
  proxy.reset();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idle = proxy.counts();
  const idleWritten = proxy.written();
  proxy.reset();
  const started = performance.now();
  for (const token of tokens) {
    const res = await fetch(`${events.url}/api/events/${id}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
  const requestsMs = performance.now() - started;
  // The relay publishes after the answers: wait (bounded) until no envelope waits.
  const db = mongo.db(tag);
  for (let i = 0; i < 600; i++) {
    const waiting = await db.collection('registrations').countDocuments({ outbox_at: { $ne: null } });
    if (waiting === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const registrations = proxy.counts();
  const registrationsWritten = proxy.written();
  proxy.reset();
  for (let i = 0; i < N; i++) await (await fetch(`${events.url}/api/events/${id}`)).arrayBuffer();
  const reads = proxy.counts();
  show('idle, 2 s', idle, 1, idleWritten);
  show(
    `registration (${N} sequential, ${(requestsMs / N).toFixed(1)} ms each, relay included)`,
    registrations,
    N,
    registrationsWritten,
  );
  show('GET /api/events/{id}', reads, N);
} finally {
  await stopAll();
  await proxy.close();
  await mongo
    .db(tag)
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  await deleteBrokerNamespace(amqpUrl, `${tag}.`).catch(() => {});
  await issuer.close();
}
