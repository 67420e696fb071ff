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
      EVENT_CREATE_WINDOW: 86_400_000,
      OFFER_WINDOW: 86_400_000,
      REMINDER_LEAD: 86_400_000,
      CLEANUP_OLDER_THAN: 30 * 86_400_000,
      TXN_TIMEOUT: 30_000,
      JOBS_ENABLED: true,
      CONSUMERS_ENABLED: true,
    });
  });

  it('reads durations and flags, and names bad values', () => {
    expect(parseEnv(Env, { ...base, OFFER_WINDOW: '2h', JOBS_ENABLED: 'false' })).toMatchObject({
      OFFER_WINDOW: 7_200_000,
      JOBS_ENABLED: false,
    });
    expect(() => parseEnv(Env, { ...base, CLEANUP_OLDER_THAN: 'a month' })).toThrow(/CLEANUP_OLDER_THAN/);
    expect(() => parseEnv(Env, { ...base, TXN_TIMEOUT: '10ms' })).toThrow(/TXN_TIMEOUT/);
    expect(() => parseEnv(Env, { ...base, EVENT_CREATE_LIMIT: '0' })).toThrow(/EVENT_CREATE_LIMIT/);
  });
});
