// `pnpm start`: every service as a local process against the local infrastructure
// (`pnpm infra:up` first). Each gets its own database on the shared MongoDB-wire server.
// Ctrl-C stops them all (each shuts down gracefully on SIGTERM).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../packages/kit/src/server/node-flags.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mongo = process.env.MONGO_BASE_URL ?? 'mongodb://127.0.0.1:27017';
const amqp = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const services = [
  { name: 'auth', port: 8081 },
  { name: 'events', port: 8082 },
  { name: 'invitations', port: 8083 },
  { name: 'feedback', port: 8084 },
  { name: 'notifier', port: 8085 },
  { name: 'gateway', port: 8080 },
];
const url = (port: number) => `http://127.0.0.1:${port}`;
const upstreams = Object.fromEntries(
  services.filter((s) => s.name !== 'gateway').map((s) => [`${s.name.toUpperCase()}_URL`, url(s.port)]),
);

const present = services.filter(({ name }) => existsSync(`${root}services/${name}/src/main.ts`));
// The gateway's /healthz reports only the services this checkout has.
const readyUpstreams = present.map((s) => s.name).filter((name) => name !== 'gateway');

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
  const main = `${root}services/${name}/src/main.ts`;
  // The memory flags every service runs with (kit's node-flags.ts; the Docker image sets the same).
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, main], {
    stdio: 'inherit',
    env: {
      ...SERVICE_PROCESS_ENV,
      ...process.env,
      ...upstreams,
      PORT: String(port),
      MONGO_URL: `${mongo}/convene_${name}`,
      AMQP_URL: amqp,
      AUTH_JWKS_URL: `${url(8081)}/.well-known/jwks.json`,
      PUBLIC_URL: process.env.PUBLIC_URL ?? url(8080),
      READY_UPSTREAMS: readyUpstreams.join(','),
    },
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
            '[start] Ctrl-C stops everything.',
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
