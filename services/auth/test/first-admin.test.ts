import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectMongo } from '@convene/kit';
import { mongoUrlFor, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPerson, type RunningAuth, STRONG_PASSWORD, startAuth, startProbe } from './support/harness.ts';

const cli = (name: string) => fileURLToPath(new URL(`../src/cli/${name}.ts`, import.meta.url));
const dispatcher = fileURLToPath(new URL('../../../bin/convene.ts', import.meta.url));

/** Runs a CLI the way an operator would: a separate node process, config from the environment. */
function run(name: string, args: string[], env: Record<string, string>) {
  return runScript(cli(name), args, env);
}

function runScript(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each CLI run is a fresh node process (TypeScript loaded, argon2, a database connection), several
// per test: on a busy 2-core machine that takes far longer than an HTTP call. A generous bound.
const CLI_TEST = { timeout: 120_000 };

describe('create-admin CLI', CLI_TEST, () => {
  let auth: RunningAuth;
  let mongoUrl: string;
  beforeAll(async () => {
    auth = await startAuth();
    mongoUrl = mongoUrlFor(auth.database);
  });
  afterAll(async () => {
    await auth?.stop();
  });

  it('creates an admin with the password from CONVENE_ADMIN_PASSWORD; the admin can use admin routes', async () => {
    const person = newPerson();
    const probe = await startProbe(auth.namespace, ['user.registered']);
    try {
      const out = await run('create-admin', ['--email', person.email, '--username', person.username], {
        MONGO_URL: mongoUrl,
        CONVENE_ADMIN_PASSWORD: STRONG_PASSWORD,
      });
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^created admin: /);

      const login = await auth.api.post<{ access: string; user: { role: string } }>('/api/auth/login', {
        username: person.username,
        password: STRONG_PASSWORD,
      });
      expect(login.body.user.role).toBe('admin');
      expect((await auth.api.get('/api/users', { token: login.body.access })).status).toBe(200);
      // The running service relays the event the CLI left in the account's outbox.
      auth.service.relay.nudge();
      await probe.waitFor('user.registered', (e) => e.data.email === person.email && e.data.role === 'admin');
    } finally {
      await probe.stop();
    }

    const again = await run('create-admin', ['--email', person.email.toUpperCase()], {
      MONGO_URL: mongoUrl,
      ADMIN_PASSWORD: 'Another-Password-42',
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^already an admin/);
    // The password was not overwritten.
    const login = await auth.api.post('/api/auth/login', { username: person.username, password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('refuses a weak password, a missing password without a terminal, and an existing non-admin unless --promote', async () => {
    const weak = await run('create-admin', ['--email', newPerson().email], {
      MONGO_URL: mongoUrl,
      ADMIN_PASSWORD: 'admin',
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/password refused: .*too short/);

    const badName = await run('create-admin', ['--email', newPerson().email, '--username', 'has space'], {
      MONGO_URL: mongoUrl,
      ADMIN_PASSWORD: STRONG_PASSWORD,
    });
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/Enter a valid username/);

    const noPassword = await run('create-admin', ['--email', newPerson().email], { MONGO_URL: mongoUrl });
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/no terminal/);

    const usage = await run('create-admin', [], { MONGO_URL: mongoUrl });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('users:create-admin: --email is required');
    expect(usage.stderr).toContain('Usage: ./convene users:create-admin --email EMAIL');
    const help = await run('create-admin', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: \.\/convene users:create-admin /);

    const person = newPerson();
    await auth.api.post('/api/auth/register', person);
    const refused = await run('create-admin', ['--email', person.email], {
      MONGO_URL: mongoUrl,
      ADMIN_PASSWORD: STRONG_PASSWORD,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--promote/);
    // An expected refusal is its message alone, never a stack trace.
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    const promoted = await run('create-admin', ['--email', person.email, '--promote'], {
      MONGO_URL: mongoUrl,
      ADMIN_PASSWORD: STRONG_PASSWORD,
    });
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/^promoted/);
  });
});

describe('pnpm convene users:create-admin', CLI_TEST, () => {
  it('reaches the auth CLI through the operator dispatcher', async () => {
    const auth = await startAuth();
    try {
      const person = newPerson();
      const out = await runScript(
        dispatcher,
        ['users:create-admin', '--email', person.email, '--username', person.username],
        {
          MONGO_URL: mongoUrlFor(auth.database),
          CONVENE_ADMIN_PASSWORD: STRONG_PASSWORD,
        },
      );
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^created admin: /);
      const login = await auth.api.post('/api/auth/login', { username: person.username, password: STRONG_PASSWORD });
      expect(login.body).toMatchObject({ user: { role: 'admin' } });
    } finally {
      await auth.stop();
    }
  });
});

describe('rotate-signing-key CLI', CLI_TEST, () => {
  it('adds a key that the JWKS publishes', async () => {
    const auth = await startAuth();
    try {
      const before = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      const out = await run('rotate-signing-key', ['--activate-in', '0'], {
        MONGO_URL: mongoUrlFor(auth.database),
        SIGNING_KEY_SECRET: 'test-secret-that-is-at-least-32-characters',
      });
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const kid = out.stdout.match(/new signing key (\S+),/)?.[1];
      expect(kid, out.stdout).toEqual(expect.any(String));
      await auth.service.keys.reload(); // replicas re-read on SIGNING_KEY_REFRESH_MS
      const after = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      // Newest first: the CLI's key, then the one the service started with (still published).
      expect(after.body.keys.map((k) => k.kid)).toEqual([kid, ...before.body.keys.map((k) => k.kid)]);
      expect(before.body.keys).toHaveLength(1);

      const bad = await run('rotate-signing-key', ['--activate-in', 'soon'], {
        MONGO_URL: mongoUrlFor(auth.database),
        SIGNING_KEY_SECRET: 'test-secret-that-is-at-least-32-characters',
      });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('rotate-signing-key: --activate-in takes whole seconds');
      expect(bad.stderr).toContain('Usage: ');
      const unconfigured = await run('rotate-signing-key', [], {
        MONGO_URL: mongoUrlFor(auth.database),
        SIGNING_KEY_SECRET: 'too short',
      });
      expect(unconfigured.code).toBe(1);
      expect(unconfigured.stderr).toMatch(/^rotate-signing-key: Invalid configuration:\n {2}SIGNING_KEY_SECRET: /);
      expect(unconfigured.stderr).not.toMatch(/^\s+at /m);
      await auth.service.keys.reload();
      const unchanged = await auth.api.get<{ keys: Array<{ kid: string }> }>('/.well-known/jwks.json');
      expect(unchanged.body.keys).toHaveLength(2);
    } finally {
      await auth.stop();
    }
  });
});

describe('bootstrap admin from the environment', () => {
  it('creates the admin once, across restarts and replicas, and never overwrites its password', async () => {
    const database = uniqueName('auth');
    const email = `boot_${Date.now()}@example.com`;
    const bootEnv = {
      BOOTSTRAP_ADMIN_EMAIL: email,
      BOOTSTRAP_ADMIN_PASSWORD: STRONG_PASSWORD,
      BOOTSTRAP_ADMIN_USERNAME: 'root_admin',
    };
    const [first, second] = await Promise.all([startAuth(bootEnv, { database }), startAuth(bootEnv, { database })]);
    try {
      const login = await first.api.post<{ user: { role: string } }>('/api/auth/login', {
        username: 'root_admin',
        password: STRONG_PASSWORD,
      });
      expect(login.status).toBe(200);
      expect(login.body.user.role).toBe('admin');
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const restarted = await startAuth({ ...bootEnv, BOOTSTRAP_ADMIN_PASSWORD: 'Changed-Password-99' }, { database });
    try {
      expect((await restarted.api.post('/api/auth/login', { username: email, password: STRONG_PASSWORD })).status).toBe(
        200,
      );
    } finally {
      await restarted.stop();
    }
    const mongo = await connectMongo(mongoUrlFor(database));
    try {
      expect(await mongo.db?.collection('users').countDocuments({ role: 'admin' })).toBe(1);
    } finally {
      await mongo.close();
    }
  });

  it('refuses to boot with a weak bootstrap password', async () => {
    await expect(
      startAuth({ BOOTSTRAP_ADMIN_EMAIL: 'weak@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'password' }),
    ).rejects.toThrow(/BOOTSTRAP_ADMIN_EMAIL: password refused/);
  });
});
