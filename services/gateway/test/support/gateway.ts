import { createLogger, type Logger } from '@convene/kit';
import { startTestIssuer, type TestIssuer } from '@convene/testing';
import { test } from 'vitest';
import { UPSTREAMS } from '../../src/domain/route-table.ts';
import { Env } from '../../src/env.ts';
import { createService, type GatewayService } from '../../src/service.ts';
import { type Echo, echoApp, Holds, type Running, startHono, type UpstreamOptions } from './upstreams.ts';

export interface TestGateway {
  url: string;
  service: GatewayService;
  upstreams: Record<string, Running>;
  /** Requests the echo upstreams hold at …/__hold/:key until released (all released on close). */
  holds: Holds;
  /** The auth stand-in whose keys the gateway trusts (@convene/testing's test token issuer). */
  issuer: TestIssuer;
  /** `issuer.token`: a valid access token by default; its options make the bad variants. */
  token: TestIssuer['token'];
  close(): Promise<void>;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  upstreamOptions?: Partial<Record<string, UpstreamOptions>>;
  logger?: Logger;
  now?: () => Date;
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
}: GatewayOptions = {}): Promise<TestGateway> {
  const issuer = await startTestIssuer();
  const holds = new Holds();
  const upstreams: Record<string, Running> = {};
  for (const name of UPSTREAMS) upstreams[name] = await startHono(echoApp(name, { holds, ...upstreamOptions[name] }));
  const parsed = Env.parse({
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUTH_JWKS_URL: issuer.jwksUrl,
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
    issuer,
    token: issuer.token,
    async close() {
      holds.releaseAll();
      await service.stop();
      await Promise.all([...Object.values(upstreams).map((u) => u.close()), issuer.close()]);
    },
  };
}

/**
 * A vitest `test` with the file-scoped fixture `gw`: `startGateway(options)`, made on first use in
 * the file (a test or a `beforeAll` of the returned API) and closed after its last test. Two APIs
 * in one file are two gateways (e.g. one with other limits).
 *
 *   const it = gatewayTest({ env: { CORS_ORIGINS: '…' } });
 *   it('answers a preflight', async ({ gw }) => { ... });
 */
export function gatewayTest(options: GatewayOptions = {}) {
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  return test.extend('gw', { scope: 'file' }, async ({}, { onCleanup }) => {
    const gw = await startGateway(options);
    onCleanup(() => gw.close());
    return gw;
  });
}

/** GET/POST through the gateway and read what the echo upstream saw. */
export async function echoed(response: Response): Promise<Echo> {
  if (!response.ok) throw new Error(`expected an echo, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as Echo;
}

/** A request exactly as written, over a fresh connection (@convene/testing's). */
export { type RawResponse, rawRequest } from '@convene/testing';
