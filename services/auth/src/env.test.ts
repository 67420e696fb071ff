import { ConfigError, parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { Env } from './env.ts';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/auth', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' };

describe('auth Env', () => {
  it('has safe defaults: 15 min access, 7 day refresh and invitations, port 8081', () => {
    const env = parseEnv(Env, base);
    expect(env).toMatchObject({
      PORT: 8081,
      ACCESS_TOKEN_TTL_SEC: 900,
      REFRESH_TOKEN_TTL_SEC: 604_800,
      INVITATION_TTL_SEC: 604_800,
      PASSWORD_MIN_LENGTH: 10,
      LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
      LOGIN_MAX_FAILURES_PER_IP: 20,
      LOGIN_FAILURE_WINDOW_SEC: 900,
      TRUST_PROXY_HOPS: 1,
      AUTH_ISSUER: 'convene-auth',
      AUTH_AUDIENCE: 'convene',
    });
    expect(env.AUTH_JWKS_URL).toBeUndefined();
  });

  it('reads the configurable limits', () => {
    const env = parseEnv(Env, {
      ...base,
      ACCESS_TOKEN_TTL_SEC: '300',
      LOGIN_MAX_FAILURES_PER_IP: '50',
      COOKIE_SECURE: 'false',
    });
    expect(env).toMatchObject({ ACCESS_TOKEN_TTL_SEC: 300, LOGIN_MAX_FAILURES_PER_IP: 50, COOKIE_SECURE: false });
  });

  it('wants the bootstrap admin email and password together', () => {
    expect(() => parseEnv(Env, { ...base, BOOTSTRAP_ADMIN_EMAIL: 'a@example.com' })).toThrow(
      /BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are set together/,
    );
    expect(() => parseEnv(Env, { ...base, BOOTSTRAP_ADMIN_PASSWORD: 'x' })).toThrow(/BOOTSTRAP_ADMIN_EMAIL/);
  });

  it('wants a long SIGNING_KEY_SECRET when one is given', () => {
    expect(() => parseEnv(Env, { ...base, SIGNING_KEY_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => parseEnv(Env, { ...base, SIGNING_KEY_SECRET: 'short' })).toThrow(/SIGNING_KEY_SECRET/);
    expect(parseEnv(Env, { ...base, SIGNING_KEY_SECRET: 'x'.repeat(32) }).SIGNING_KEY_SECRET).toHaveLength(32);
  });

  it('keeps the reuse grace shorter than the refresh lifetime', () => {
    expect(() => parseEnv(Env, { ...base, REFRESH_TOKEN_TTL_SEC: '60', REFRESH_REUSE_GRACE_SEC: '60' })).toThrow(
      /REFRESH_REUSE_GRACE_SEC/,
    );
  });
});
