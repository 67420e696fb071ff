import { parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { Env, upstreamConfigs } from './env.ts';

const base = {
  AUTH_URL: 'http://auth:8080',
  EVENTS_URL: 'http://events:8080',
  INVITATIONS_URL: 'http://invitations:8080',
  FEEDBACK_URL: 'http://feedback:8080',
  NOTIFIER_URL: 'http://notifier:8080',
  AUTH_JWKS_URL: 'http://auth:8080/.well-known/jwks.json',
};

describe('gateway Env', () => {
  it('needs no database or broker and defaults the edge policy', () => {
    const env = parseEnv(Env, base);
    expect(env.PORT).toBe(8080);
    expect(env.CORS_ORIGINS).toEqual([]);
    expect(env.UPSTREAM_KEEPALIVE_MS).toBeLessThan(5_000);
    expect(env).not.toHaveProperty('MONGO_URL');
  });

  it('names every missing service URL', () => {
    expect(() => parseEnv(Env, { AUTH_JWKS_URL: base.AUTH_JWKS_URL })).toThrow(
      /AUTH_URL: Required[\s\S]*NOTIFIER_URL: Required/,
    );
  });

  it('reads CORS origins as a list and refuses what is not an origin', () => {
    expect(parseEnv(Env, { ...base, CORS_ORIGINS: 'https://a.test, http://b.test:3000' }).CORS_ORIGINS).toEqual([
      'https://a.test',
      'http://b.test:3000',
    ]);
    expect(() => parseEnv(Env, { ...base, CORS_ORIGINS: 'https://a.test/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => parseEnv(Env, { ...base, CORS_ORIGINS: '*,https://a.test' })).toThrow(/either/);
  });

  it('refuses an unknown service in READY_UPSTREAMS', () => {
    expect(() => parseEnv(Env, { ...base, READY_UPSTREAMS: 'auth,billing' })).toThrow(/billing/);
  });

  it('applies per-service timeout overrides', () => {
    const env = parseEnv(Env, {
      ...base,
      UPSTREAM_HEADERS_TIMEOUT_MS: '1000',
      INVITATIONS_HEADERS_TIMEOUT_MS: '30000',
    });
    const byName = Object.fromEntries(upstreamConfigs(env).map((u) => [u.name, u]));
    expect(byName.invitations?.headersTimeoutMs).toBe(30_000);
    expect(byName.events?.headersTimeoutMs).toBe(1_000);
    expect(byName.events?.url).toBe('http://events:8080');
  });
});
