// `pnpm start`: every service as a local process against the local infrastructure
// (`pnpm infra:up` first). Each gets its own database on the shared MongoDB-wire server.
// Ctrl-C stops them all (each shuts down gracefully on SIGTERM).
//
// Each service runs as its Docker image runs it: built by infra/docker/build-service.sh (production
// dependencies, TypeScript stripped to JavaScript once) into infra/local/.run/build/<service>, then
// `node src/main.js` there, which idles about 20 MB smaller than running the sources
// (docs/decisions/0080-services-run-as-javascript-stripped-at-build.md). `--source` runs the
// TypeScript sources directly instead: no build, for an edit-and-restart loop.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../packages/kit/src/server/node-flags.ts';
import { LOCAL_SERVICES, localServiceEnv, localUrl } from './local-services.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const infra = {
  mongoBaseUrl: process.env.MONGO_BASE_URL ?? 'mongodb://127.0.0.1:27017',
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  publicUrl: process.env.PUBLIC_URL,
  invitationLinkKey: process.env.INVITATION_LINK_KEY,
};
const url = localUrl;
const present = LOCAL_SERVICES.filter(({ name }) => existsSync(`${root}services/${name}/src/main.ts`));
const presentNames = present.map((s) => s.name);

const fromSource = process.argv.includes('--source');
const buildRoot = `${root}infra/local/.run/build`;

/** build-service.sh into the build folder; resolves when it succeeded, exits the launcher when not. */
function build(name: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('bash', [`${root}infra/docker/build-service.sh`, name, `${buildRoot}/${name}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => {
      if (code !== 0) {
        console.error(
          `[start] building ${name} failed (${code}); \`./convene start --source\` runs the sources unbuilt`,
        );
        process.exit(1);
      }
      writeFileSync(`${buildRoot}/${name}/${BUILT_AT}`, new Date().toISOString());
      resolve();
    });
  });
}

/** The newest change to anything a build of `name` reads: its sources, the packages', the lockfile. */
function newestInput(name: string): number {
  const newest = (path: string): number => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return 0;
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(
      stat.mtimeMs,
      ...readdirSync(path)
        .filter((entry) => entry !== 'node_modules' && entry !== 'test')
        .map((entry) => newest(`${path}/${entry}`)),
    );
  };
  return Math.max(newest(`${root}services/${name}`), newest(`${root}packages`), newest(`${root}pnpm-lock.yaml`));
}

/** A build is reused while nothing it was made from has changed since (a start after an edit rebuilds). */
const BUILT_AT = '.built-at';
const upToDate = (name: string) =>
  (statSync(`${buildRoot}/${name}/${BUILT_AT}`, { throwIfNoEntry: false })?.mtimeMs ?? 0) > newestInput(name);

if (!fromSource) {
  const started = Date.now();
  const stale = present.filter(({ name }) => !upToDate(name));
  // One at a time: pnpm deploy is disk-bound, and these machines have 2 cores.
  for (const { name } of stale) await build(name);
  if (stale.length > 0) {
    console.error(
      `[start] built ${stale.map((s) => s.name).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

const children: ChildProcess[] = [];

// The mail catcher (docs/decisions/0060-maildev-as-the-local-mail-catcher.md): maildev 3 from npm,
// SMTP on 127.0.0.1:1025 (the notifier's default) and its web UI on http://127.0.0.1:1080.
// Installed on first use into a folder of its own (never the Node/pnpm tools folder).
const mailTools = `${process.env.CONVENE_TOOLS_DIR ?? `${homedir()}/.cache/convene-tools`}/maildev`;
const maildev = `${mailTools}/node_modules/.bin/maildev`;
if (process.env.SMTP_HOST === undefined) {
  if (!existsSync(maildev)) {
    console.error(`[start] installing the mail catcher (maildev 3) into ${mailTools}`);
    spawnSync('npm', ['install', '--prefix', mailTools, '--no-fund', '--no-audit', '--loglevel=error', 'maildev@3'], {
      stdio: 'inherit',
    });
  }
  const mail = spawn(maildev, ['--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--smtp', '1025', '--web', '1080'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  mail.on('error', (err) => console.error(`[start] mail catcher not started: ${err.message}`));
  children.push(mail);
}

for (const { name, port } of present) {
  const main = fromSource ? `${root}services/${name}/src/main.ts` : `${buildRoot}/${name}/src/main.js`;
  // The memory flags every service runs with (kit's node-flags.ts; the Docker image sets the same).
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, main], {
    cwd: fromSource ? root : `${buildRoot}/${name}`,
    stdio: 'inherit',
    env: { ...SERVICE_PROCESS_ENV, ...process.env, ...localServiceEnv(name, infra, presentNames) },
  });
  child.on('exit', (code, signal) => console.error(`[start] ${name} exited (${signal ?? code})`));
  children.push(child);
  console.error(`[start] ${name} on ${url(port)}`);
}

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};

// Tell the newcomer where to go once the gateway says every upstream is ready: its /readyz is 200
// as soon as it listens (services are not required for it), its /healthz says `ok` once all are.
void (async () => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url(8080)}/healthz`);
      if (res.ok && ((await res.json()) as { status?: string }).status === 'ok') {
        console.error(
          [
            '',
            `[start] ready: gateway ${url(8080)}`,
            `[start]   API docs   ${url(8080)}/api/docs   (ReDoc ${url(8080)}/api/redoc)`,
            `[start]   health     ${url(8080)}/healthz`,
            `[start]   mail       http://127.0.0.1:1080   (every email the notifier sends)`,
            '[start] see it work: `./convene demo` in another terminal. Ctrl-C stops everything.',
            '',
          ].join('\n'),
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error('[start] the gateway was not ready within 120 s; see the logs above');
})();
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
