// Events benchmark: requests/s and p50/p99 latency for listing events (a page of 20 with two
// filters), getting one event, and a burst of registrations from distinct users, with autocannon.
// Goes through the gateway when services/gateway exists (pass --direct to skip it), each server in
// its own process on 127.0.0.1, against the local MongoDB-wire server and RabbitMQ. Writes
// bench/reports/events.md. Bounded: two 8 s runs, one burst of 3,000 requests, then everything
// it started stops, its database is dropped and its broker namespace deleted. Not a test:
// nothing here asserts speed. Servers, the stand-in issuer and the pool come from bench/support.
//
//   node bench/events/run.ts [--direct]
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { deleteBrokerNamespace } from '../support/broker.ts';
import { startIssuer } from '../support/issuer.ts';
import { pool } from '../support/load.ts';
import { startProcess, stopAll } from '../support/processes.ts';

const CONNECTIONS = 50;
const DURATION_S = 8;
const EVENTS = 1_000;
const BURST_USERS = 3_000;
const BURST_CAPACITY = 500;

const root = fileURLToPath(new URL('../../', import.meta.url));
const gatewayMain = `${root}services/gateway/src/main.ts`;
const viaGateway = existsSync(`${root}services/gateway/src/service.ts`) && !process.argv.includes('--direct');
const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const database = `bench_events_${Date.now().toString(36)}`;

interface Line {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: string;
}

function line(name: string, result: autocannon.Result): Line {
  const statuses = Object.entries({
    '2xx': result['2xx'],
    '4xx': result['4xx'],
    '5xx': result['5xx'],
    errors: result.errors + result.timeouts,
  })
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const out = {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
  };
  console.error(`${name}: ${out.rps} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms (${statuses})`);
  return out;
}

const lines: Line[] = [];
const loadBefore = loadavg()[0]!;
const issuer = await startIssuer();
const mongo = new MongoClient(mongoBase);
let backend = 'MongoDB';
let burstCheck = '';
try {
  await mongo.connect();
  const hello = await mongo
    .db('admin')
    .command({ hello: 1 })
    .catch(() => null);
  backend = hello
    ? `MongoDB ${(await mongo.db('admin').command({ buildInfo: 1 })).version}`
    : 'mongo-java-server 1.47 (H2 backend), the local MongoDB-wire test server';

  const { url: eventsUrl } = await startProcess('events', `${root}services/events/src/main.ts`, {
    MONGO_URL: `${mongoBase.replace(/\/+$/, '')}/${database}`,
    AMQP_URL: amqpUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    BUS_NAMESPACE: `${database}.`,
    EVENT_CREATE_LIMIT: '1000000',
  });
  const base = viaGateway
    ? (
        await startProcess('gateway', gatewayMain, {
          AUTH_URL: eventsUrl,
          EVENTS_URL: eventsUrl,
          INVITATIONS_URL: eventsUrl,
          FEEDBACK_URL: eventsUrl,
          NOTIFIER_URL: eventsUrl,
          AUTH_JWKS_URL: issuer.jwksUrl,
          // One client address and many users: the edge limits would stop the run.
          RATE_LIMIT_PER_IP: '1000000000',
          RATE_LIMIT_PER_USER: '1000000000',
        })
      ).url
    : eventsUrl;

  // Seed 1,000 events over the next year from 20 hosts (straight to the service: not measured).
  const hostTokens = await Promise.all(Array.from({ length: 20 }, (_, i) => issuer.mint(100_000 + i)));
  const words = ['Python', 'Django', 'Rust', 'Go', 'Data', 'Cloud', 'Design', 'Music', 'Startup', 'Health'];
  const ids: string[] = [];
  await pool(
    Array.from({ length: EVENTS }, (_, i) => i),
    20,
    async (i) => {
      const start = new Date(Date.now() + ((i % 365) + 1) * 86_400_000 + (i % 24) * 3_600_000);
      const res = await fetch(`${eventsUrl}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hostTokens[i % 20]}` },
        body: JSON.stringify({
          title: `${words[i % 10]} meetup ${i}`,
          description: `An evening about ${words[(i * 7) % 10]} and ${words[(i * 3) % 10]}.`,
          location: ['Berlin', 'New York', 'San Francisco, CA', 'Tech Hub, London'][i % 4],
          start_time: start.toISOString(),
          max_participants: 10 + (i % 90),
        }),
      });
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      ids.push(((await res.json()) as { id: string }).id);
    },
  );

  const midYear = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  const listPath = `/api/events?has_spots=true&date_after=${midYear}&page_size=20`;
  const check = (await (await fetch(`${base}${listPath}`)).json()) as { count: number; results: unknown[] };
  console.error(`list check: ${check.count} matching, ${check.results.length} on the page`);
  // Signed in, a list also looks up the invite-only events the reader attends or is invited to.
  const signedIn = { authorization: `Bearer ${hostTokens[1]}` };
  for (const [name, path, headers] of [
    [`list events: \`GET ${listPath.replace(midYear, '<+180 d>')}\` (${check.count} of ${EVENTS} match)`, listPath, {}],
    ['the same list, signed in (a host, with the reachable-events lookups)', listPath, signedIn],
    ['get one event: `GET /api/events/{id}`', `/api/events/${ids[Math.floor(ids.length / 2)]}`, {}],
  ] as const) {
    await autocannon({ url: `${base}${path}`, connections: CONNECTIONS, duration: 1, headers });
    lines.push(
      line(name, await autocannon({ url: `${base}${path}`, connections: CONNECTIONS, duration: DURATION_S, headers })),
    );
  }

  // Registration burst: 3,000 distinct users, one POST each, for an event with 500 seats; every
  // second user asks for the waitlist when it is full, the others are refused.
  const burstEvent = (await (
    await fetch(`${eventsUrl}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hostTokens[0]}` },
      body: JSON.stringify({
        title: 'Burst',
        start_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        location: 'Arena',
        max_participants: BURST_CAPACITY,
      }),
    })
  ).json()) as { id: string };
  const tokens = await Promise.all(Array.from({ length: BURST_USERS }, (_, i) => issuer.mint(i)));
  let n = 0;
  const burst = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: BURST_USERS,
    requests: [
      {
        method: 'POST',
        path: `/api/events/${burstEvent.id}/register`,
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            headers: {
              ...req.headers,
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[i % BURST_USERS]}`,
            },
            body: i % 2 ? '{"waitlist":true}' : '{}',
          };
        },
      },
    ],
  });
  lines.push(
    line(
      `registration burst: ${BURST_USERS.toLocaleString('en-US')} users × \`POST /api/events/{id}/register\`, ${BURST_CAPACITY} seats`,
      burst,
    ),
  );
  const after = (await (await fetch(`${eventsUrl}/api/events/${burstEvent.id}`)).json()) as Record<string, number>;
  burstCheck = `After the burst the event showed attendees_count ${after.attendees_count} (capacity ${BURST_CAPACITY}), waitlist_count ${after.waitlist_count}; the 4xx are "This event is full." refusals.`;
  console.error(burstCheck);
} finally {
  await stopAll();
  await mongo
    .db(database)
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  issuer.close();
  console.error(`broker namespace ${database}.: ${await deleteBrokerNamespace(amqpUrl, `${database}.`)}`);
}

const rows = lines.map(
  (l) =>
    `| ${l.name} | ${l.rps.toLocaleString('en-US')} | ${l.p50} | ${l.p99} | ${l.requests.toLocaleString('en-US')} | ${l.statuses} |`,
);
const report = `# Events benchmark

Generated by \`node bench/events/run.ts${viaGateway ? '' : ' --direct'}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

Path: **${viaGateway ? 'through the gateway' : 'straight to the events service'}** (${viaGateway ? 'client → gateway → events, each its own Node process' : 'no gateway in front'}), all on 127.0.0.1.
Database: ${backend}. Broker: RabbitMQ (the outbox relay publishes every registration's message during the burst).
Load: autocannon in the runner process, ${CONNECTIONS} connections; reads ${DURATION_S} s after a 1 s warm-up; the burst is
${BURST_USERS.toLocaleString('en-US')} requests, one per user (distinct access tokens, so every request pays a full EdDSA check${viaGateway ? ' at the edge and again in the service' : ''}).
Data: ${EVENTS.toLocaleString('en-US')} events spread over the next year.

Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.
1-minute load average at the start: ${loadBefore.toFixed(1)} (the machine is shared with other sessions' test runs, so
absolute numbers vary between runs).

| what | requests/s | p50 ms | p99 ms | requests | answers |
|---|---|---|---|---|---|
${rows.join('\n')}

${burstCheck}
`;
await writeFile(fileURLToPath(new URL('../reports/events.md', import.meta.url)), report);
console.log(report);
process.exit(0);
