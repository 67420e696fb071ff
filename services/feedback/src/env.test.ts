import { ConfigError, parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { Env } from './env.ts';

const base = { MONGO_URL: 'mongodb://127.0.0.1/f', AMQP_URL: 'amqp://127.0.0.1', AUTH_JWKS_URL: 'http://a/jwks' };

describe('Env', () => {
  it('defaults: port 8084, feedback opens at the start and closes 14 days after the end', () => {
    const env = parseEnv(Env, base);
    expect(env.PORT).toBe(8084);
    expect(env.FEEDBACK_OPENS_AT).toBe('start');
    expect(env.FEEDBACK_WINDOW_MS).toBe(14 * 24 * 3_600_000);
    expect(env.COMMENT_MAX_LENGTH).toBe(2000);
    expect(env.JOBS_ENABLED).toBe(true);
  });

  it('reads the settings and refuses nonsense naming the variable', () => {
    const env = parseEnv(Env, { ...base, FEEDBACK_OPENS_AT: 'end', FEEDBACK_WINDOW_MS: '60000', JOBS_ENABLED: '0' });
    expect(env).toMatchObject({ FEEDBACK_OPENS_AT: 'end', FEEDBACK_WINDOW_MS: 60_000, JOBS_ENABLED: false });
    expect(() => parseEnv(Env, { ...base, FEEDBACK_OPENS_AT: 'later' })).toThrow(ConfigError);
    expect(() => parseEnv(Env, { ...base, FEEDBACK_OPENS_AT: 'later' })).toThrow(/FEEDBACK_OPENS_AT/);
    expect(() => parseEnv(Env, { ...base, JOBS_ENABLED: 'yes' })).toThrow(/JOBS_ENABLED/);
  });

  it('takes every *_MS in milliseconds or with a unit, and refuses one below its minimum', () => {
    const env = parseEnv(Env, {
      ...base,
      FEEDBACK_WINDOW_MS: '2d',
      SUMMARY_SETTLE_AFTER_MS: '45s',
      EVENTS_TIMEOUT_MS: '250',
    });
    expect(env).toMatchObject({
      FEEDBACK_WINDOW_MS: 172_800_000,
      SUMMARY_SETTLE_AFTER_MS: 45_000,
      EVENTS_TIMEOUT_MS: 250,
    });
    expect(parseEnv(Env, base)).toMatchObject({
      EVENTS_TIMEOUT_MS: 3000,
      OUTBOX_POLL_MS: 1000,
      SUMMARY_SETTLE_AFTER_MS: 30_000,
      RECOVERY_INTERVAL_MS: 10_000,
      PROCESSED_RETENTION_MS: 7 * 24 * 3_600_000,
    });
    expect(() => parseEnv(Env, { ...base, EVENTS_TIMEOUT_MS: '50ms' })).toThrow(/EVENTS_TIMEOUT_MS/);
    expect(() => parseEnv(Env, { ...base, FEEDBACK_WINDOW_MS: 'a fortnight' })).toThrow(/FEEDBACK_WINDOW_MS/);
  });
});
