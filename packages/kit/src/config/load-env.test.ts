import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BaseEnv } from './base-env.ts';
import { ConfigError, parseEnv } from './load-env.ts';

const complete = {
  PORT: '3002',
  MONGO_URL: 'mongodb://127.0.0.1:27017/events',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  AUTH_JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
};

const script = fileURLToPath(new URL('./fixtures/load-base-env.ts', import.meta.url));

function runChild(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('parseEnv', () => {
  it('parses BaseEnv with its defaults', () => {
    expect(parseEnv(BaseEnv, complete)).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3002,
      PROCESSED_RETENTION_MS: 604_800_000,
      LOG_LEVEL: 'info',
      MONGO_URL: 'mongodb://127.0.0.1:27017/events',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      BUS_NAMESPACE: '',
      AUTH_ISSUER: 'convene-auth',
      AUTH_AUDIENCE: 'convene',
      AUTH_JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
      PUBLIC_URL: 'http://127.0.0.1:8080',
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
    });
  });

  it('accepts replica-set URLs with several hosts', () => {
    const env = parseEnv(BaseEnv, { ...complete, MONGO_URL: 'mongodb://a:27017,b:27017/events?replicaSet=rs0' });
    expect(env.MONGO_URL).toBe('mongodb://a:27017,b:27017/events?replicaSet=rs0');
  });

  it('names every bad variable, one line each', () => {
    const { MONGO_URL: _, ...rest } = complete;
    try {
      parseEnv(BaseEnv, { ...rest, PORT: 'eighty', LOG_LEVEL: 'loud', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.map((line) => line.split(':')[0]).sort()).toEqual(
        ['LOG_LEVEL', 'MONGO_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'PORT'].sort(),
      );
      expect(problems).toContain('MONGO_URL: Required');
      expect((err as Error).message).toMatch(/^Invalid configuration:\n/);
    }
  });

  it('treats an empty variable as unset so defaults apply', () => {
    expect(parseEnv(BaseEnv, { ...complete, HOST: '' }).HOST).toBe('127.0.0.1');
    expect(() => parseEnv(BaseEnv, { ...complete, MONGO_URL: '' })).toThrow(/MONGO_URL: Required/);
  });

  it('runs cross-field rules of extended schemas', () => {
    const Env = BaseEnv.extend({ MIN: z.coerce.number(), MAX: z.coerce.number() }).refine((env) => env.MIN <= env.MAX, {
      path: ['MAX'],
      message: 'MAX must be at least MIN',
    });
    expect(() => parseEnv(Env, { ...complete, MIN: '5', MAX: '1' })).toThrow(/MAX: MAX must be at least MIN/);
  });
});

describe('loadEnv', () => {
  it('exits 1 and names the missing variable on stderr', () => {
    const { MONGO_URL: _, ...rest } = complete;
    const child = runChild(rest);
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(/^Invalid configuration:/);
    expect(child.stderr).toMatch(/^\s*MONGO_URL: Required$/m);
    expect(child.stdout).toBe('');
  });

  it('returns the parsed environment when it is valid', () => {
    const child = runChild(complete);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ PORT: 3002, AUTH_AUDIENCE: 'convene' });
  });
});
