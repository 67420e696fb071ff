import { test } from 'vitest';
import { type RunningTestService, startServiceForTest, type TestableService } from './service-harness.ts';
import { TestClock } from './test-clock.ts';
import { startTestIssuer, type TestIssuer } from './token-issuer.ts';

export interface ServiceTestOptions {
  /**
   * Environment overrides for the service (they win over testServiceEnv's and the issuer's
   * AUTH_JWKS_URL/AUTH_ISSUER/AUTH_AUDIENCE); a function gets the file's issuer.
   */
  env?: Record<string, string> | ((fixtures: { issuer: TestIssuer }) => Record<string, string>);
}

/**
 * A vitest `test` whose file-scoped fixtures are a service under test and what it needs (STYLE.md:
 * test infrastructure as fixtures). Each is made on first use in a file (in a test or a
 * `beforeAll` of the returned API) and torn down after the file's last test:
 *   `clock`   a running TestClock, handed to `create` as `now`;
 *   `issuer`  a test token issuer (`startTestIssuer`, real time), trusted by the service;
 *   `service` the service started by `startServiceForTest(name, create, env)`: own database, bus
 *             namespace and port.
 *
 *   const it = serviceTest('events', (env, { now }) => createService(parseEnv(Env, env), { now }));
 *   it('lists nothing at first', async ({ service, issuer }) => { ... });
 */
export function serviceTest<S extends TestableService>(
  name: string,
  create: (env: Record<string, string>, ctx: { now: () => Date }) => Promise<S>,
  { env = {} }: ServiceTestOptions = {},
) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      .extend('clock', { scope: 'file' }, async ({}) => new TestClock())
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      .extend('issuer', { scope: 'file' }, async ({}, { onCleanup }) => {
        // Real time, not the clock: services verify tokens on the wall clock (kit's verifier).
        const issuer = await startTestIssuer();
        onCleanup(() => issuer.close());
        return issuer;
      })
      .extend(
        'service',
        { scope: 'file' },
        async ({ clock, issuer }, { onCleanup }): Promise<RunningTestService<S>> => {
          const overrides = typeof env === 'function' ? env({ issuer }) : env;
          const running = await startServiceForTest(name, (raw) => create(raw, { now: clock.now }), {
            AUTH_JWKS_URL: issuer.jwksUrl,
            AUTH_ISSUER: issuer.issuer,
            AUTH_AUDIENCE: issuer.audience,
            ...overrides,
          });
          onCleanup(() => running.stop());
          return running;
        },
      )
  );
}
