import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
});

function waitForLine(proc: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        resolve(line);
      }
    };
    proc.stdout?.on('data', onData);
  });
}

describe('node src/main.ts', () => {
  it('boots from the environment, serves, and shuts down cleanly on SIGTERM', async () => {
    const { amqpUrl } = testInfra();
    child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        MONGO_URL: mongoUrlFor(uniqueName('authmain')),
        AMQP_URL: amqpUrl,
        BUS_NAMESPACE: `${uniqueName('authmain')}.`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listening = JSON.parse(await waitForLine(child, /auth listening/)) as { url: string };
    const health = await fetch(`${listening.url}/readyz`);
    expect(health.status).toBe(200);
    const jwks = (await (await fetch(`${listening.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);

    const exited = new Promise<number | null>((resolve) => child?.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start with a configuration error naming the variable', async () => {
    const proc = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', MONGO_URL: 'nope' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration/);
    expect(stderr).toMatch(/MONGO_URL/);
    expect(stderr).toMatch(/AMQP_URL: Required/);
  });
});
