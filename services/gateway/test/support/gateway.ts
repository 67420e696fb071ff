import { request as httpRequest } from 'node:http';
import { createLogger, type Logger } from '@convene/kit';
import { UPSTREAMS } from '../../src/domain/route-table.ts';
import { Env } from '../../src/env.ts';
import { createService, type GatewayService } from '../../src/service.ts';
import { startKeyServer } from './keys.ts';
import { type Echo, echoApp, Holds, type Running, startHono, type UpstreamOptions } from './upstreams.ts';

export interface TestGateway {
  url: string;
  service: GatewayService;
  upstreams: Record<string, Running>;
  /** Requests the echo upstreams hold at …/__hold/:key until released (all released on close). */
  holds: Holds;
  keys: Awaited<ReturnType<typeof startKeyServer>>;
  token: Awaited<ReturnType<typeof startKeyServer>>['token'];
  close(): Promise<void>;
}

/**
 * A gateway on a free 127.0.0.1 port in front of one echo upstream per service and a key server,
 * all real HTTP servers. `env` overrides any variable (an upstream URL pointing elsewhere, limits);
 * `now` replaces the gateway's clock (rate-limit windows).
 */
export async function startGateway({
  env = {},
  upstreamOptions = {},
  logger = createLogger({ service: 'gateway', level: 'silent' }),
  now,
}: {
  env?: Record<string, string>;
  upstreamOptions?: Partial<Record<string, UpstreamOptions>>;
  logger?: Logger;
  now?: () => Date;
} = {}): Promise<TestGateway> {
  const keys = await startKeyServer();
  const holds = new Holds();
  const upstreams: Record<string, Running> = {};
  for (const name of UPSTREAMS) upstreams[name] = await startHono(echoApp(name, { holds, ...upstreamOptions[name] }));
  const parsed = Env.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUTH_JWKS_URL: keys.jwksUrl,
    RATE_LIMIT_PER_IP: '100000',
    RATE_LIMIT_PER_USER: '100000',
    ...Object.fromEntries(UPSTREAMS.map((name) => [`${name.toUpperCase()}_URL`, upstreams[name]!.url])),
    ...env,
  });
  const service = await createService(parsed, { logger, processMetrics: false, now });
  const { url } = await service.start();
  return {
    url,
    service,
    upstreams,
    holds,
    keys,
    token: keys.token,
    async close() {
      holds.releaseAll();
      await service.stop();
      await Promise.all([...Object.values(upstreams).map((u) => u.close()), keys.close()]);
    },
  };
}

/** GET/POST through the gateway and read what the echo upstream saw. */
export async function echoed(response: Response): Promise<Echo> {
  if (!response.ok) throw new Error(`expected an echo, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as Echo;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request exactly as written (fetch would normalise `%2e%2e`, refuse hop-by-hop headers and set
 * its own Host), over a fresh connection.
 */
export function rawRequest(
  base: string,
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
