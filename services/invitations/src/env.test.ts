import { ConfigError, parseEnv } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_LINK_KEY, Env } from './env.ts';

const base = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/inv',
  AMQP_URL: 'amqp://127.0.0.1',
  AUTH_JWKS_URL: 'http://127.0.0.1:8081/.well-known/jwks.json',
};

describe('invitations env', () => {
  it('has the documented defaults', () => {
    const env = parseEnv(Env, base);
    expect(env).toMatchObject({
      PORT: 8083,
      INVITATION_TTL_MS: 7 * 86_400_000,
      MAX_RESENDS: 3,
      REMINDER_LEAD_MS: 48 * 3_600_000,
      TOKEN_MISSES_PER_WINDOW: 20,
      JOBS_ENABLED: true,
      INVITATION_LINK_KEY: DEVELOPMENT_LINK_KEY,
    });
  });

  it('refuses production without a real link key, and a key that is not 32 bytes', () => {
    expect(() => parseEnv(Env, { ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => parseEnv(Env, { ...base, NODE_ENV: 'production' })).toThrow(
      /INVITATION_LINK_KEY: Required in production/,
    );
    expect(() => parseEnv(Env, { ...base, INVITATION_LINK_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /INVITATION_LINK_KEY/,
    );
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(parseEnv(Env, { ...base, NODE_ENV: 'production', INVITATION_LINK_KEY: key }).INVITATION_LINK_KEY).toBe(key);
  });

  it('refuses a reminder lead longer than the invitation lives', () => {
    expect(() => parseEnv(Env, { ...base, REMINDER_LEAD_MS: String(8 * 86_400_000) })).toThrow(/REMINDER_LEAD_MS/);
  });

  it("reads durations in kit's one convention (milliseconds or a unit) and flags as true/false/1/0", () => {
    expect(parseEnv(Env, base)).toMatchObject({
      INTERNAL_READ_TIMEOUT_MS: 3000,
      EXPIRY_INTERVAL_MS: 60_000,
      REMINDER_INTERVAL_MS: 300_000,
      TOKEN_MISS_WINDOW_MS: 900_000,
      OUTBOX_POLL_MS: 1000,
      CONSUMERS_ENABLED: true,
    });
    const env = parseEnv(Env, {
      ...base,
      INVITATION_TTL_MS: '3d',
      REMINDER_LEAD_MS: '12h',
      EXPIRY_INTERVAL_MS: '30s',
      OUTBOX_POLL_MS: '250',
      JOBS_ENABLED: '0',
      CONSUMERS_ENABLED: 'FALSE',
    });
    expect(env).toMatchObject({
      INVITATION_TTL_MS: 3 * 86_400_000,
      REMINDER_LEAD_MS: 12 * 3_600_000,
      EXPIRY_INTERVAL_MS: 30_000,
      OUTBOX_POLL_MS: 250,
      JOBS_ENABLED: false,
      CONSUMERS_ENABLED: false,
    });
    expect(() => parseEnv(Env, { ...base, EXPIRY_INTERVAL_MS: 'soon' })).toThrow(/EXPIRY_INTERVAL_MS/);
    expect(() => parseEnv(Env, { ...base, JOBS_ENABLED: 'yes' })).toThrow(/JOBS_ENABLED/);
  });
});
