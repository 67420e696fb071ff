import { type Dispatcher, Pool } from 'undici';
import type { UpstreamName } from '../domain/route-table.ts';
import type { UpstreamConfig } from '../env.ts';
import { noteWritten } from './note-written.ts';

export interface Upstream {
  name: UpstreamName;
  origin: string;
  /** `host:port` as the service's Host header and the upgrade connection need it. */
  host: string;
  pool: Pool;
  /** The pool, telling a request's WriteNote (its `opaque`) once undici starts writing it. */
  dispatcher: Dispatcher;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export interface PoolOptions {
  connections: number;
  keepAliveMs: number;
  connectTimeoutMs: number;
}

export type Upstreams = Record<UpstreamName, Upstream>;

/**
 * One keep-alive pool per service. The idle timeout is capped (also against the service's
 * `Keep-Alive: timeout=N` hint) below the service's own keep-alive timeout, so the pool never
 * sends a request on a socket the service has just decided to close; a service answering
 * `Connection: close` (kit does after refusing a body) has its socket dropped by undici.
 */
export function createUpstreams(
  configs: UpstreamConfig[],
  { connections, keepAliveMs, connectTimeoutMs }: PoolOptions,
): Upstreams {
  const entries = configs.map((config) => {
    const url = new URL(config.url);
    const pool = new Pool(url.origin, {
      connections,
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
      connectTimeout: connectTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      bodyTimeout: config.bodyTimeoutMs,
    });
    const upstream: Upstream = {
      name: config.name,
      origin: url.origin,
      host: url.host,
      pool,
      dispatcher: pool.compose(noteWritten),
      connectTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      bodyTimeoutMs: config.bodyTimeoutMs,
    };
    return [config.name, upstream] as const;
  });
  return Object.fromEntries(entries) as Upstreams;
}

export async function closeUpstreams(upstreams: Upstreams): Promise<void> {
  await Promise.all(Object.values(upstreams).map((upstream) => upstream.pool.close()));
}
