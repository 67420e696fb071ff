// The image, checked without a Docker engine: the Dockerfile's own build script
// (infra/docker/build-service.sh) run into a temporary folder, the result started the way the
// image's CMD and ENV start it, against the local infrastructure; it must answer /healthz and
// /readyz and end cleanly on SIGTERM (what `docker stop` sends). The Dockerfile itself is read for
// what no build here can show: the non-root USER, the HEALTHCHECK, the script it runs.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  eventually,
  freePort,
  mongoUrlFor,
  type SmtpCapture,
  startSmtpCapture,
  testInfra,
  uniqueName,
} from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dockerfile = join(root, 'infra', 'docker', 'Dockerfile');

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile as instructions per stage (continuation lines joined, comments dropped). */
function stages(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, ' ');
  const result: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') result.push([]);
    result.at(-1)?.push({ keyword, args: match[2]!.trim() });
  }
  return result;
}

/** ENV lines in their `KEY=value KEY="a b"` form. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.filter((i) => i.keyword === 'ENV')) {
    for (const m of args.matchAll(/([A-Z_][A-Z0-9_]*)=("([^"]*)"|\S*)/g)) env[m[1]!] = m[3] ?? m[2]!;
  }
  return env;
}

const all = stages(readFileSync(dockerfile, 'utf8'));
const final = all.at(-1)!;
const one = (keyword: string) => final.filter((i) => i.keyword === keyword);

describe('infra/docker/Dockerfile', () => {
  it('builds on Node 24 with the build script, and runs as a user that is not root', () => {
    for (const stage of all) expect(stage[0]!.args).toMatch(/^node:24[.-]/);
    const runs = all.flat().filter((i) => i.keyword === 'RUN');
    expect(runs.map((i) => i.args).join('\n')).toMatch(/bash infra\/docker\/build-service\.sh "\$SERVICE" \/out/);
    const users = one('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/);
    // The final stage holds the build's output only, never the sources or the dev dependencies.
    const copies = one('COPY').map((i) => i.args);
    expect(copies).toEqual([expect.stringMatching(/^--from=build \/out /)]);
  });

  it('declares a HEALTHCHECK on /healthz that needs nothing but node', () => {
    const [check] = one('HEALTHCHECK');
    expect(check?.args).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    expect(check?.args).toMatch(/--timeout=\d+s/);
  });
});

/** The services started from the build: events (the brief's own), notifier (templates read beside its code), auth (a native module). */
describe.each(['events', 'notifier', 'auth'])('the built %s, started as the image starts it', (service) => {
  let out = '';
  const { mongoUrl, amqpUrl } = testInfra();
  const database = uniqueName(`image_${service}`);
  let child: ChildProcess | undefined;
  let url = '';
  let output = '';
  let smtp: SmtpCapture | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), `convene-image-${service}-`));
    // pnpm deploy from the store `pnpm install` filled (--offline inside the script): ~3 s a service here.
    await promisify(execFile)('bash', [join(root, 'infra/docker/build-service.sh'), service, out], {
      cwd: root,
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    smtp = await startSmtpCapture();
    const port = await freePort();
    const [command, ...args] = JSON.parse(one('CMD').at(-1)!.args) as string[];
    const imageEnv = envOf(final);
    child = spawn(command === 'node' ? process.execPath : command!, args, {
      cwd: out,
      env: {
        PATH: process.env.PATH ?? '',
        ...imageEnv,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        MONGO_URL: mongoUrlFor(database, mongoUrl),
        AMQP_URL: amqpUrl,
        BUS_NAMESPACE: `${database}.`,
        // Nothing asks for a token here; the URL only has to be one.
        AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        // Production refuses the built-in development values: these are the test's own.
        UNSUBSCRIBE_SECRET: `image-test-${'x'.repeat(32)}`,
        SIGNING_KEY_SECRET: `image-test-${'y'.repeat(32)}`,
        INVITATION_LINK_KEY: Buffer.alloc(32, 3).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited = new Promise((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    url = `http://127.0.0.1:${port}`;
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await smtp?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('holds JavaScript only, and production dependencies only', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(manifest.exports['.']).toBe('./src/index.js');
    const listing = readFileSync(join(out, 'node_modules', '.modules.yaml'), 'utf8');
    expect(listing).not.toMatch(/vitest|@biomejs|typescript@/);
    expect(() => readFileSync(join(out, 'src', 'main.ts'))).toThrow();
  });

  it('answers /healthz and /readyz', async () => {
    const answers = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      return res.status === 200;
    };
    // A process that exits ends the wait at once, with what it printed.
    const died = exited.then(({ code, signal }) => {
      throw new Error(`${service} exited (${code ?? signal}) before it was ready:\n${output}`);
    });
    died.catch(() => {});
    const poll = { intervalMs: 200 };
    await Promise.race([
      died,
      eventually(() => answers('/healthz'), { ...poll, timeoutMs: 60_000, what: `${service} /healthz 200` }),
    ]);
    await Promise.race([
      died,
      eventually(() => answers('/readyz'), { ...poll, timeoutMs: 30_000, what: `${service} /readyz 200` }),
    ]);
    const docs = await fetch(`${url}/openapi.json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
  }, 120_000);

  it('ends cleanly on SIGTERM', async () => {
    child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 30_000);
    });
    const outcome = await Promise.race([exited, bound]);
    clearTimeout(timer);
    expect(outcome, `${service} did not exit within 30 s of SIGTERM:\n${output}`).not.toBe('late');
    expect(outcome, output).toEqual({ code: 0, signal: null });
  });
});
