// Load generators of the benchmarks, all in the runner process: autocannon for HTTP, a pool of
// concurrent loops for calls straight to the store. Bounded by a duration or a count.
import autocannon from 'autocannon';

export interface Rate {
  /** Completed operations (requests) in the measured window. */
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Non-2xx answers and transport errors (HTTP), thrown calls (store). */
  failed: number;
}

/** `width` loops calling `op` for `seconds` (after a `warmupSeconds` run that is not counted). */
export async function rateOf(
  op: () => Promise<unknown>,
  { width, seconds, warmupSeconds = 1 }: { width: number; seconds: number; warmupSeconds?: number },
): Promise<Rate> {
  const run = async (ms: number) => {
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    const end = started + ms;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          try {
            await op();
            latencies.push(performance.now() - t);
          } catch {
            failed++;
          }
        }
      }),
    );
    return { latencies, failed, seconds: (performance.now() - started) / 1000 };
  };
  await run(warmupSeconds * 1000);
  const { latencies, failed, seconds: took } = await run(seconds * 1000);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0) * 10) / 10;
  return {
    ops: latencies.length,
    seconds: took,
    perSecond: latencies.length / took,
    p50: at(0.5),
    p99: at(0.99),
    failed,
  };
}

/** autocannon against one URL for `seconds`, after a one-second warm-up. */
export async function httpRate(
  url: string,
  { connections, seconds, headers = {} }: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<Rate> {
  await autocannon({ url, connections, duration: 1, headers });
  return fromAutocannon(await autocannon({ url, connections, duration: seconds, headers }));
}

export function fromAutocannon(result: autocannon.Result): Rate {
  return {
    ops: result.requests.total,
    seconds: result.duration,
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/** Runs `fn` over `items`, `width` at a time. */
export async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
