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
});
