import { parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { Env } from './env.ts';

const base = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/events',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  AUTH_JWKS_URL: 'http://127.0.0.1:8081/.well-known/jwks.json',
};

describe('Env', () => {
  it('has the documented defaults', () => {
    const env = parseEnv(Env, base);
    expect(env).toMatchObject({
      PORT: 8082,
      EVENT_CREATE_LIMIT: 5,
      EVENT_CREATE_WINDOW_MS: 86_400_000,
      DEFAULT_EVENT_DURATION_MS: 7_200_000,
      DEFAULT_EVENT_TIMEZONE: 'UTC',
      OFFER_WINDOW_MS: 86_400_000,
      REMINDER_LEAD_MS: 86_400_000,
      REMINDER_INTERVAL_MS: 60_000,
      CLEANUP_OLDER_THAN_MS: 30 * 86_400_000,
      CLEANUP_INTERVAL_MS: 86_400_000,
      TXN_TIMEOUT_MS: 30_000,
      RECOVERY_INTERVAL_MS: 5_000,
      WAITLIST_INTERVAL_MS: 10_000,
      OUTBOX_LEASE_MS: 30_000,
      JOBS_ENABLED: true,
      CONSUMERS_ENABLED: true,
    });
  });

  it('reads durations and flags, and names bad values', () => {
    expect(
      parseEnv(Env, { ...base, OFFER_WINDOW_MS: '2h', TXN_TIMEOUT_MS: '1500', JOBS_ENABLED: 'false' }),
    ).toMatchObject({
      OFFER_WINDOW_MS: 7_200_000,
      TXN_TIMEOUT_MS: 1500,
      JOBS_ENABLED: false,
    });
    expect(() => parseEnv(Env, { ...base, CLEANUP_OLDER_THAN_MS: 'a month' })).toThrow(/CLEANUP_OLDER_THAN_MS/);
    expect(() => parseEnv(Env, { ...base, TXN_TIMEOUT_MS: '10ms' })).toThrow(/TXN_TIMEOUT_MS/);
    expect(() => parseEnv(Env, { ...base, JOBS_ENABLED: 'yes' })).toThrow(/JOBS_ENABLED/);
    expect(() => parseEnv(Env, { ...base, EVENT_CREATE_LIMIT: '0' })).toThrow(/EVENT_CREATE_LIMIT/);
  });

  it('takes the default event zone as an IANA name the runtime knows, canonically cased', () => {
    expect(parseEnv(Env, { ...base, DEFAULT_EVENT_TIMEZONE: 'europe/paris' }).DEFAULT_EVENT_TIMEZONE).toBe(
      'Europe/Paris',
    );
    expect(parseEnv(Env, { ...base, DEFAULT_EVENT_TIMEZONE: 'Europe/Kyiv' }).DEFAULT_EVENT_TIMEZONE).toBe(
      'Europe/Kyiv',
    );
    expect(() => parseEnv(Env, { ...base, DEFAULT_EVENT_TIMEZONE: 'Mars/Base' })).toThrow(/DEFAULT_EVENT_TIMEZONE/);
  });
});
