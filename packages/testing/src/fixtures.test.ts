import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect } from 'vitest';
import { serviceTest } from './fixtures.ts';
import type { TestableService } from './service-harness.ts';

/** What the fixtures made and stopped, in order, across this file. */
const log: string[] = [];

/** A stand-in service: answers with the env it was built from and its clock's time. */
function echoService(env: Record<string, string>, now: () => Date): TestableService {
  let server: Server | undefined;
  return {
    async start() {
      server = createServer((_req, res) => res.end(JSON.stringify({ env, now: now().toISOString() })));
      await new Promise<void>((resolve) => server!.listen(0, env.HOST, resolve));
      const { port } = server.address() as AddressInfo;
      log.push('started');
      return { port, url: `http://127.0.0.1:${port}` };
    },
    async stop() {
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      log.push('stopped');
    },
  };
}

const it = serviceTest('echo', async (env, { now }) => echoService(env, now), {
  env: ({ issuer }) => ({ EXTRA: 'yes', JWKS_SEEN: issuer.jwksUrl }),
});

describe('serviceTest', () => {
  it('starts the service once per file, trusting the file issuer, on its own database and namespace', async ({
    service,
    issuer,
  }) => {
    const { env } = (await (await fetch(service.url)).json()) as { env: Record<string, string> };
    expect(env.AUTH_JWKS_URL).toBe(issuer.jwksUrl);
    expect(env.JWKS_SEEN).toBe(issuer.jwksUrl);
    expect(env.AUTH_ISSUER).toBe('convene-auth');
    expect(env.EXTRA).toBe('yes');
    expect(env.MONGO_URL).toMatch(/\/echo_[0-9a-z]+$/);
    expect(env.BUS_NAMESPACE).toMatch(/^echo_[0-9a-z]+\.$/);
    expect(service.env).toEqual(env);
    expect(log).toEqual(['started']);
  });

  it('hands the same service and the file clock to the next test', async ({ service, clock }) => {
    expect(log).toEqual(['started']);
    clock.freeze(new Date('2030-01-01T00:00:00.000Z'));
    const { now } = (await (await fetch(service.url)).json()) as { now: string };
    expect(now).toBe('2030-01-01T00:00:00.000Z');
  });

  afterAll(() => {
    // The file's fixtures are torn down after this hook: still running here.
    expect(log).toEqual(['started']);
  });
});
