import { Client, type Dispatcher } from 'undici';
import { classifyFailure, isStaleSocket } from './upstream-failure.ts';
import type { Upstream } from './upstreams.ts';

export interface ProbeAnswer {
  status: number;
  text: string;
}

/**
 * A small GET the gateway makes for itself (a service's /readyz, its /openapi.json) through the
 * service's pool. A pooled keep-alive socket the service had already closed is not the service
 * being down: that answer is asked for once more, on a connection of its own, before it counts
 * as a failure (a single dropped connection used to turn /readyz 503).
 */
export async function probeUpstream(
  upstream: Upstream,
  path: string,
  { timeoutMs, accept }: { timeoutMs: number; accept?: string },
): Promise<ProbeAnswer> {
  try {
    return await get(upstream.pool, path, timeoutMs, accept);
  } catch (err) {
    if (!isStaleSocket(err) || classifyFailure(err) !== 'unavailable') throw err;
    const fresh = new Client(upstream.origin, { connectTimeout: upstream.connectTimeoutMs, pipelining: 0 });
    try {
      return await get(fresh, path, timeoutMs, accept);
    } finally {
      await fresh.destroy();
    }
  }
}

async function get(dispatcher: Dispatcher, path: string, timeoutMs: number, accept?: string): Promise<ProbeAnswer> {
  const { statusCode, body } = await dispatcher.request({
    path,
    method: 'GET',
    ...(accept ? { headers: { accept } } : {}),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: statusCode, text: await body.text() };
}
