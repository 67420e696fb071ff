// Kit's middleware alone: a kit app with only /healthz beside the bare Hono "hello", each its own
// process, measured alternately (bare, kit, bare, kit, ...) with 50 connections; prints rates and
// the CPU µs each request cost the server process (steadier than rates on a shared machine). With
// --profile the kit process runs with --cpu-prof and its top self-time frames are printed.
// Bounded: fixed rounds and durations; both processes are stopped at the end.
//
//   node bench/hot-paths/healthz.ts [--rounds=3] [--seconds=3] [--profile]
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseCpuProfile } from '../support/cpu-profile.ts';
import { httpRate } from '../support/load.ts';
import { cpuMs, type Server, startProcess, stopAll, stopProcess } from '../support/processes.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = arg('rounds', 3);
const SECONDS = arg('seconds', 3);
const PROFILE = process.argv.includes('--profile');
const root = fileURLToPath(new URL('../../', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'convene-healthz-'));
try {
  const bare = await startProcess('bare Hono', here('bare-hono.ts'), {});
  const kit = await startProcess(
    'kit app',
    here('kit-health.ts'),
    {},
    PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] } : {},
  );
  const totals = new Map<string, { ops: number; cpu: number; seconds: number }>();
  const measure = async (server: Server) => {
    const before = cpuMs(server.pid) ?? 0;
    const rate = await httpRate(`${server.url}/healthz`, { connections: 50, seconds: SECONDS });
    const cpu = (cpuMs(server.pid) ?? 0) - before;
    const total = totals.get(server.name) ?? { ops: 0, cpu: 0, seconds: 0 };
    totals.set(server.name, { ops: total.ops + rate.ops, cpu: total.cpu + cpu, seconds: total.seconds + rate.seconds });
    console.log(`${server.name}: ${Math.round(rate.perSecond)}/s, failed ${rate.failed}`);
  };
  for (let round = 0; round < ROUNDS; round++) {
    await measure(bare);
    await measure(kit);
  }
  const summary = [...totals].map(([name, t]) => ({
    name,
    perSecond: t.ops / t.seconds,
    // The warm-up second's requests cost CPU too: CPU over (measured + warm-up) requests.
    cpuUs: (t.cpu * 1000) / (t.ops * (1 + 1 / SECONDS)),
  }));
  for (const s of summary)
    console.log(`${s.name}: mean ${Math.round(s.perSecond)}/s, ~${s.cpuUs.toFixed(1)} µs CPU per request`);
  const [b, k] = summary;
  if (b && k)
    console.log(
      `kit / bare: ${((k.perSecond / b.perSecond) * 100).toFixed(1)}% (rate), ${((b.cpuUs / k.cpuUs) * 100).toFixed(1)}% (CPU per request)`,
    );
  await stopProcess(kit.child);
  if (PROFILE) {
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const profile = summariseCpuProfile(await readFile(join(dir, file), 'utf8'), { workspaceRoot: root, top: 25 });
      for (const line of profile.top)
        console.log(
          `${line.samples}\t${(line.share * 100).toFixed(1)}%\t${line.frame}\t<- ${line.caller?.frame ?? ''}`,
        );
      console.log(profile.onStack.map((l) => `${l.frame} ${(l.share * 100).toFixed(0)}%`).join(', '));
    }
  }
} finally {
  await stopAll();
  await rm(dir, { recursive: true, force: true });
}
