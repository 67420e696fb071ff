import { ConfigError, parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { Env } from './env.ts';

const base = { MONGO_URL: 'mongodb://127.0.0.1/n', AMQP_URL: 'amqp://127.0.0.1', AUTH_JWKS_URL: 'http://a/jwks' };

describe('Env', () => {
  it('defaults: port 8085, the local mail catcher, the sender every second with a one-minute lease', () => {
    const env = parseEnv(Env, base);
    expect(env).toMatchObject({
      PORT: 8085,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: 1025,
      SMTP_SECURE: false,
      SMTP_POOL: true,
      SMTP_TIMEOUT_MS: 15_000,
      SEND_INTERVAL_MS: 1000,
      SEND_LEASE_MS: 60_000,
      SEND_MAX_ATTEMPTS: 10,
      JOBS_ENABLED: true,
      CONSUMERS_ENABLED: true,
    });
    expect(env.SEND_RETRY_DELAYS_MS).toEqual([5000, 30_000, 120_000, 600_000, 1_800_000]);
  });

  it('takes durations in milliseconds or with a unit, retry delays too', () => {
    const env = parseEnv(Env, {
      ...base,
      SEND_LEASE_MS: '2m',
      SMTP_TIMEOUT_MS: '3000',
      SEND_RETRY_DELAYS_MS: '100, 2s,1m',
      SMTP_POOL: '0',
    });
    expect(env).toMatchObject({ SEND_LEASE_MS: 120_000, SMTP_TIMEOUT_MS: 3000, SMTP_POOL: false });
    expect(env.SEND_RETRY_DELAYS_MS).toEqual([100, 2000, 60_000]);
  });

  it('refuses nonsense naming the variable', () => {
    expect(() => parseEnv(Env, { ...base, SEND_RETRY_DELAYS_MS: '5000,soon' })).toThrow(ConfigError);
    expect(() => parseEnv(Env, { ...base, SEND_RETRY_DELAYS_MS: '5000,soon' })).toThrow(/SEND_RETRY_DELAYS_MS/);
    expect(() => parseEnv(Env, { ...base, SEND_RETRY_DELAYS_MS: '5000,-1' })).toThrow(/SEND_RETRY_DELAYS_MS/);
    expect(() => parseEnv(Env, { ...base, SEND_LEASE_MS: 'a while' })).toThrow(/SEND_LEASE_MS/);
    expect(() => parseEnv(Env, { ...base, SMTP_SECURE: 'yes' })).toThrow(/SMTP_SECURE/);
    expect(() => parseEnv(Env, { ...base, SMTP_USER: 'u' })).toThrow(/SMTP_PASS/);
    expect(() => parseEnv(Env, { ...base, NODE_ENV: 'production' })).toThrow(/UNSUBSCRIBE_SECRET/);
  });
});
