import { ConfigError, parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { CliEnv, Env, RENAMED } from './env.ts';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/auth', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' };

describe('auth Env', () => {
  it('has safe defaults: 15 min access, 7 day refresh and invitations, port 8081', () => {
    const env = parseEnv(Env, base);
    expect(env).toMatchObject({
      PORT: 8081,
      ACCESS_TOKEN_TTL_MS: 900_000,
      REFRESH_TOKEN_TTL_MS: 604_800_000,
      REFRESH_REUSE_GRACE_MS: 10_000,
      INVITATION_TTL_MS: 604_800_000,
      SIGNING_KEY_ROTATE_AFTER_MS: 30 * 86_400_000,
      SIGNING_KEY_PREPUBLISH_MS: 60_000,
      SIGNING_KEY_REFRESH_MS: 30_000,
      CLOCK_TOLERANCE_MS: 5_000,
      SWEEP_INTERVAL_MS: 300_000,
      OUTBOX_POLL_MS: 1000,
      COOKIE_SECURE: false,
      PASSWORD_MIN_LENGTH: 10,
      LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
      LOGIN_MAX_FAILURES_PER_IP: 20,
      LOGIN_FAILURE_WINDOW_MS: 900_000,
      TRUST_PROXY_HOPS: 1,
      AUTH_ISSUER: 'convene-auth',
      AUTH_AUDIENCE: 'convene',
    });
    expect(env.AUTH_JWKS_URL).toBeUndefined();
  });

  it('reads the configurable limits', () => {
    const env = parseEnv(Env, {
      ...base,
      ACCESS_TOKEN_TTL_MS: '300s',
      REFRESH_TOKEN_TTL_MS: '86400000',
      LOGIN_MAX_FAILURES_PER_IP: '50',
      PUBLIC_URL: 'https://convene.example',
      COOKIE_SECURE: 'false',
    });
    expect(env).toMatchObject({
      ACCESS_TOKEN_TTL_MS: 300_000,
      REFRESH_TOKEN_TTL_MS: 86_400_000,
      LOGIN_MAX_FAILURES_PER_IP: 50,
      COOKIE_SECURE: false,
    });
  });

  it('turns the cookie Secure flag on for an https PUBLIC_URL unless told otherwise', () => {
    expect(parseEnv(Env, { ...base, PUBLIC_URL: 'https://convene.example' }).COOKIE_SECURE).toBe(true);
    expect(parseEnv(Env, { ...base, PUBLIC_URL: 'http://127.0.0.1:8080' }).COOKIE_SECURE).toBe(false);
    expect(parseEnv(Env, { ...base, COOKIE_SECURE: '1' }).COOKIE_SECURE).toBe(true);
    expect(() => parseEnv(Env, { ...base, COOKIE_SECURE: 'yes' })).toThrow(
      /COOKIE_SECURE: Expected true, false, 1 or 0/,
    );
  });

  it('refuses a duration without a unit it knows, and one below its minimum', () => {
    expect(() => parseEnv(Env, { ...base, ACCESS_TOKEN_TTL_MS: '15 minutes' })).toThrow(
      /ACCESS_TOKEN_TTL_MS: Expected a duration/,
    );
    expect(() => parseEnv(Env, { ...base, ACCESS_TOKEN_TTL_MS: '4s' })).toThrow(
      /ACCESS_TOKEN_TTL_MS: Must be at least 5000 ms/,
    );
  });

  it('stops on a variable of the old *_SEC / *_DAYS names instead of ignoring it', () => {
    for (const [old, current] of Object.entries(RENAMED)) {
      expect(() => parseEnv(Env, { ...base, [old]: '300' })).toThrow(new RegExp(`${old}: renamed to ${current}`));
    }
    expect(Object.keys(RENAMED)).toHaveLength(10);
    expect(() => parseEnv(CliEnv, { MONGO_URL: base.MONGO_URL, ACCESS_TOKEN_TTL_SEC: '300' })).toThrow(
      /ACCESS_TOKEN_TTL_SEC: renamed to ACCESS_TOKEN_TTL_MS/,
    );
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
    expect(() => parseEnv(Env, { ...base, REFRESH_TOKEN_TTL_MS: '60s', REFRESH_REUSE_GRACE_MS: '60000' })).toThrow(
      /REFRESH_REUSE_GRACE_MS: must be shorter than REFRESH_TOKEN_TTL_MS/,
    );
  });
});
