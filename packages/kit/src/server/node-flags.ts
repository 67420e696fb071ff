/**
 * How every service process is started (./convene start, the Docker image's NODE_OPTIONS, the
 * benchmarks): an idle events service measured 146–147 MB RSS without these and 117–119 MB with
 * them (`node bench/hot-paths/idle-rss.ts`, issue 13).
 *
 * - `--max-semi-space-size=2`: young-generation semi-spaces of at most 2 MB instead of V8's default,
 *   which start-up alone grows to 12 MB in use (−20 MB alone). 1 MB saves 2–3 MB more but made
 *   scavenges cost a kit `/healthz` 25–50% more CPU; 4 MB leaves 121 MB.
 * - `--v8-pool-size=1`: one V8 platform thread (concurrent GC, background compilation) instead of
 *   four; these are 2-core machines shared by several services (−9 to −12 MB alone).
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread its own malloc arena otherwise (−5 to −7 MB alone).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--v8-pool-size=1'];
export const SERVICE_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
