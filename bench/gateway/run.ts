// Gateway proxy benchmark: the same small JSON route straight to the upstream, through a bare
// Hono + undici proxy (the technique alone) and through the gateway, with autocannon
// (-c 50 -d 5), each server in its own process on 127.0.0.1. Writes bench/reports/gateway.md.
// Bounded: six 5 s runs (plus 1 s warm-ups), then everything it started stops.
//
//   node bench/gateway/run.ts
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const CONNECTIONS = 50;
const DURATION_S = 5;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const children: ChildProcess[] = [];

function start(file: string, env: Record<string, string> = {}) {
  const child = fork(here(file), { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise<{ child: ChildProcess; message: Record<string, unknown> }>((resolve, reject) => {
    child.once('message', (message) => resolve({ child, message: message as Record<string, unknown> }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/** CPU time (user + system) a process has used, in ms; Linux only (undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU the proxy process spent per request (none for the direct line). */
  cpuUs: number | undefined;
}

async function measure(
  name: string,
  url: string,
  { headers = {}, proxy }: { headers?: Record<string, string>; proxy?: ChildProcess } = {},
) {
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const before = cpuMs(proxy?.pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  const after = cpuMs(proxy?.pid);
  const cpuUs =
    before !== undefined && after !== undefined
      ? Math.round(((after - before) * 1000) / result.requests.total)
      : undefined;
  const line: Result = {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
    cpuUs,
  };
  console.error(`${name}: ${line.rps} req/s, ${cpuUs ?? '-'} µs CPU/req`);
  return line;
}

const results: Result[] = [];
const loadBefore = loadavg()[0]!;
try {
  const upstream = await start('./upstream.ts');
  const upstreamUrl = `http://127.0.0.1:${upstream.message.port}`;
  const token = String(upstream.message.token);
  const gatewayEnv = (logLevel: string) => ({
    PORT: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: logLevel,
    AUTH_URL: upstreamUrl,
    EVENTS_URL: upstreamUrl,
    INVITATIONS_URL: upstreamUrl,
    FEEDBACK_URL: upstreamUrl,
    NOTIFIER_URL: upstreamUrl,
    AUTH_JWKS_URL: `${upstreamUrl}/.well-known/jwks.json`,
    // The load comes from one address and one user: the limits would stop the run at once.
    RATE_LIMIT_PER_IP: '1000000000',
    RATE_LIMIT_PER_USER: '1000000000',
  });

  results.push(await measure('straight to the upstream', `${upstreamUrl}/api/events/e1`));

  const bare = await start('./bare-proxy.ts', { EVENTS_URL: upstreamUrl });
  results.push(
    await measure(
      'bare Hono + undici `stream()` proxy, no edge features (reference)',
      `http://127.0.0.1:${bare.message.port}/api/events/e1`,
      {
        proxy: bare.child,
      },
    ),
  );
  bare.child.kill('SIGTERM');

  for (const logLevel of ['warn', 'info']) {
    const gateway = await start('./gateway.ts', gatewayEnv(logLevel));
    const url = `http://127.0.0.1:${gateway.message.port}`;
    results.push(
      await measure(`gateway, anonymous \`GET /api/events/:id\`, LOG_LEVEL=${logLevel}`, `${url}/api/events/e1`, {
        proxy: gateway.child,
      }),
    );
    if (logLevel === 'warn') {
      results.push(
        await measure(
          'gateway, `GET /api/events/mine` with a bearer token (checked at the edge, then remembered)',
          `${url}/api/events/mine`,
          {
            headers: { authorization: `Bearer ${token}` },
            proxy: gateway.child,
          },
        ),
      );
    }
    gateway.child.kill('SIGTERM');
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
}

const direct = results[0]!.rps;
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.rps.toLocaleString('en-US')} | ${Math.round((r.rps / direct) * 100)}% | ${r.p50} | ${r.p99} | ${r.cpuUs ?? '–'} | ${r.failed} |`,
);
const report = `# Gateway proxy benchmark

Generated by \`node bench/gateway/run.ts\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

One Hono upstream answering \`GET /api/events/:id\` with a small JSON body, as in ARCHITECTURE.md's
performance notes. Load from autocannon (\`-c ${CONNECTIONS} -d ${DURATION_S}\`, after a 1 s warm-up) in the
runner process; the upstream and each proxy run in processes of their own, all on 127.0.0.1. One run of
each line.

Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.
It is shared: other sessions' test suites were running (1-minute load average ${loadBefore.toFixed(1)} at the start), so
absolute numbers swing by 2× between runs. Read the ratios within this run, and the CPU per request of the
proxy process, which is steadier than throughput under such noise.

| path | requests/s | share of direct | p50 ms | p99 ms | proxy CPU µs/request | errors + non-2xx |
|---|---|---|---|---|---|---|
${rows.join('\n')}

What the gateway does per request beyond the bare proxy: request id, W3C trace context (kept or started),
X-Forwarded-For/Host/Proto, hop-by-hop header filtering both ways, security headers on the answer, the
route table (aliases, access level, \`/internal\` refusal), per-IP and per-user fixed-window rate limits,
the body size check, the edge token check (optional routes: only when a token is sent; a verified
token is remembered for 30 s, so the token line measures the common case of a client reusing its
token, not an EdDSA check per request), Prometheus counters and a latency histogram, and the access
log line.

The LOG_LEVEL=info line includes one access-log line per request through the kit logger, with its
redaction of secret keys (a \`formatters.log\` walk, about 4–5 µs a line; pino's wildcard \`redact\`,
used before, cost about 32–40 µs and made the access log dearer than the rest of the edge together).
`;
await writeFile(fileURLToPath(new URL('../reports/gateway.md', import.meta.url)), report);
console.log(report);
process.exit(0);
