// Idle RSS of the events service under different Node flags: each variant started on its own
// (an empty database), read once it answers /healthz and has been idle for 3 s, then stopped.
// Bounded: one process at a time, each stopped; databases dropped, broker namespace deleted.
//
//   node bench/hot-paths/idle-rss.ts [service=events]
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { deleteBrokerNamespace } from '../support/broker.ts';
import { startIssuer } from '../support/issuer.ts';
import { rssMb, startProcess, stopProcess } from '../support/processes.ts';

const service = process.argv[2] ?? 'events';
const root = fileURLToPath(new URL('../../', import.meta.url));
const mongoBase = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const tag = `bench_rss_${Date.now().toString(36)}`;
const variants: [string, string[], Record<string, string>][] = [
  ['no flags', [], {}],
  ['--max-semi-space-size=1', ['--max-semi-space-size=1'], {}],
  ['MALLOC_ARENA_MAX=2', [], { MALLOC_ARENA_MAX: '2' }],
  ['--v8-pool-size=1', ['--v8-pool-size=1'], {}],
  ...[1, 2, 4].flatMap((semi) =>
    [1, 2].map((pool): [string, string[], Record<string, string>] => [
      `--max-semi-space-size=${semi} --v8-pool-size=${pool} MALLOC_ARENA_MAX=2`,
      [`--max-semi-space-size=${semi}`, `--v8-pool-size=${pool}`],
      { MALLOC_ARENA_MAX: '2' },
    ]),
  ),
];
// RSS_VARIANTS='[["name", ["--flag"], {"ENV": "1"}], ...]' replaces the list above.
if (process.env.RSS_VARIANTS) variants.splice(0, variants.length, ...JSON.parse(process.env.RSS_VARIANTS));
const issuer = await startIssuer();
const mongo = new MongoClient(mongoBase);
try {
  for (const [name, nodeArgs, extra] of variants) {
    const readings: number[] = [];
    for (let i = 0; i < (process.env.RSS_STARTS ? Number(process.env.RSS_STARTS) : 2); i++) {
      const server = await startProcess(
        service,
        `${root}services/${service}/src/main.ts`,
        {
          MONGO_URL: `${mongoBase}/${tag}`,
          AMQP_URL: amqpUrl,
          AUTH_JWKS_URL: issuer.jwksUrl,
          BUS_NAMESPACE: `${tag}.`,
          ...extra,
        },
        { nodeArgs, serviceFlags: false },
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      readings.push(rssMb(server.pid) ?? Number.NaN);
      await stopProcess(server.child);
    }
    console.log(`${name.padEnd(70)} ${readings.join(' / ')} MB`);
  }
} finally {
  await mongo
    .db(tag)
    .dropDatabase()
    .catch(() => {});
  await mongo.close();
  await deleteBrokerNamespace(amqpUrl, `${tag}.`).catch(() => {});
  await issuer.close();
}
