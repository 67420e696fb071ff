import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, mongoUrlFor, type SmtpCapture, startSmtpCapture, testInfra, uniqueName } from '@convene/testing';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../kit/src/server/node-flags.ts';
import { type RelayTarget, type RoundRobinRelay, startRoundRobinRelay } from './round-robin-relay.ts';
import {
  type BootstrapAdmin,
  bootstrapAdmin,
  bootstrapAdminEnv,
  GATEWAY_TEST_ENV,
  SERVICE_TEST_ENV,
} from './service-test-env.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';
import { Api } from './stack.ts';

export type DeployedProcessName = ServiceName | 'gateway';

export interface DeployedOptions {
  /** Replicas per service; default 1 each. The main-flows suite uses { events: 2, invitations: 2, notifier: 2 }. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Extra environment: per service, or '*' for every process (e.g. OTEL_EXPORTER_OTLP_ENDPOINT). */
  env?: Partial<Record<DeployedProcessName | '*', Record<string, string>>>;
  /**
   * How long the whole system may take to be ready (and a restarted process to be ready again);
   * past it, startDeployed fails with the processes' logs. Default 150 s: nine Node processes
   * booting at once on a busy 2-core machine.
   */
  startTimeoutMs?: number;
}

export interface DeployedInstance {
  service: DeployedProcessName;
  index: number;
  /** This process's own address (for control checks only: clients use the gateway). */
  url: string;
  /** The running process's id; a restart changes it, undefined while it is not running. */
  pid: number | undefined;
}

export interface DeployedLogLine {
  service: DeployedProcessName;
  index: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface DeployedSystem {
  /** The gateway: the only address clients use. */
  url: string;
  /** The same client helpers SystemStack has (register/sign in as a person, JSON calls). */
  api: Api;
  /** The notifier replicas' SMTP server. */
  smtp: SmtpCapture;
  /** The bootstrap admin of auth (configured through BOOTSTRAP_ADMIN_*). */
  admin: BootstrapAdmin;
  instances: DeployedInstance[];
  /** The bus namespace every process shares. */
  namespace: string;
  /** Every stdout/stderr line every process printed so far, in order of arrival. */
  logs(): string[];
  /** The same lines, each with the process that printed it. */
  logLines(): DeployedLogLine[];
  /** The environment the process was started with (its secrets among it). */
  envOf(service: DeployedProcessName, index?: number): Record<string, string>;
  /** How many connections the relay in front of a service passed to each replica so far, by index. */
  connectionsTo(service: ServiceName): number[];
  /** Resolves when the process has exited; it is out of the relay's rotation until restarted. */
  kill(service: DeployedProcessName, index?: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (stopping it first if it runs) on the same port and env; resolves when its /readyz is 200. */
  restart(service: DeployedProcessName, index?: number): Promise<void>;
  /** SIGTERM to every process, SIGKILL to any still running after a bound; closes the relays and the capture. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));
const DEFAULT_START_TIMEOUT_MS = 150_000;
/** A graceful shutdown takes at most the services' own 15 s bound; past this the process is killed. */
const STOP_GRACE_MS = 20_000;
const READY_POLL_MS = 250;
const LOG_TAIL_LINES = 80;

/** What a spawned process may see of the test process's environment: enough to run, no test settings. */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

interface Managed {
  public: DeployedInstance;
  port: number;
  env: Record<string, string>;
  lines: DeployedLogLine[];
  child: ChildProcess | undefined;
  exited: Promise<void> | undefined;
  exit: string | undefined;
  target: RelayTarget | undefined;
  relay: RoundRobinRelay | undefined;
}

/**
 * The six services as separate OS processes, as deployed: `node <the service flags>
 * services/<name>/src/main.ts` each, the way `./convene start` runs them, on 127.0.0.1 with a free
 * port, each service with its own database (its replicas share it), all on one bus namespace no
 * other test uses, the notifier sending to an SMTP capture. The gateway reaches each service
 * through a round-robin relay (what a Kubernetes Service or Docker's DNS does), and so do the
 * services' internal reads of each other.
 */
export async function startDeployed(opts: DeployedOptions = {}): Promise<DeployedSystem> {
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const namespace = `${uniqueName('dep')}.`;
  const admin = bootstrapAdmin();
  const all: Managed[] = [];
  const lines: DeployedLogLine[] = [];
  const relays: Partial<Record<ServiceName, RoundRobinRelay>> = {};
  let smtp: SmtpCapture | undefined;

  const killNow = () => {
    for (const managed of all) managed.child?.kill('SIGKILL');
  };
  process.on('exit', killNow);

  const spawnOne = (managed: Managed) => {
    const main = `${ROOT}services/${managed.public.service}/src/main.ts`;
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', EXIT_WITH_PARENT, main], {
      cwd: ROOT,
      env: managed.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    managed.child = child;
    managed.exit = undefined;
    managed.public.pid = child.pid;
    managed.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        managed.exit = signal ? `killed by ${signal}` : `exited with ${code}`;
        if (managed.child === child) {
          managed.child = undefined;
          managed.public.pid = undefined;
        }
      });
      // After the exit and the end of its stdout and stderr: every line it printed has been read.
      child.once('close', () => resolve());
      child.once('error', (err) => {
        managed.exit = `could not start: ${err.message}`;
        if (managed.child === child) managed.child = undefined;
        resolve();
      });
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream] }).on('line', (line) => {
        const entry = { service: managed.public.service, index: managed.public.index, stream, line };
        lines.push(entry);
        managed.lines.push(entry);
      });
    }
  };

  const waitReady = async (managed: Managed, deadline: number) => {
    const { url, service, index } = managed.public;
    while (Date.now() < deadline) {
      if (!managed.child) throw new Error(`${service}#${index} ${managed.exit ?? 'is not running'}\n${tail(managed)}`);
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw new Error(`${service}#${index} was not ready within ${startTimeoutMs} ms\n${tail(managed)}`);
  };

  const find = (service: DeployedProcessName, index = 0) => {
    const managed = all.find((m) => m.public.service === service && m.public.index === index);
    if (!managed) throw new Error(`no ${service}#${index} in this deployment`);
    return managed;
  };

  const terminate = async (managed: Managed, signal: NodeJS.Signals = 'SIGTERM') => {
    if (managed.target) managed.target.up = false;
    const { child, exited } = managed;
    if (!child) return;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') {
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
    if (managed.target) managed.relay?.cut(managed.target);
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopAll();
    return stopping;
  };
  const stopAll = async () => {
    // The gateway first, so nothing reaches a service that is going away.
    const gateway = all.filter((m) => m.public.service === 'gateway');
    await Promise.all(gateway.map((m) => terminate(m)));
    await Promise.all(all.filter((m) => m.public.service !== 'gateway').map((m) => terminate(m)));
    await Promise.all(Object.values(relays).map((relay) => relay.close()));
    await smtp?.close();
    process.off('exit', killNow);
  };

  try {
    smtp = await startSmtpCapture();
    const gatewayPort = await freePort();
    const url = `http://127.0.0.1:${gatewayPort}`;
    const ports: Partial<Record<ServiceName, number[]>> = {};
    for (const name of SERVICE_NAMES) {
      const count = opts.replicas?.[name] ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new Error(`replicas of ${name} must be a whole number ≥ 1`);
      ports[name] = [];
      for (let i = 0; i < count; i++) ports[name].push(await freePort());
      relays[name] = await startRoundRobinRelay(ports[name]);
    }
    const serviceUrls = Object.fromEntries(
      SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, relays[name]!.url]),
    );
    const { amqpUrl } = testInfra();
    const common = {
      ...inheritedEnv(),
      ...SERVICE_PROCESS_ENV,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      // Info, as deployed: the request lines are part of what the log-secrets test reads.
      LOG_LEVEL: 'info',
      PUBLIC_URL: url,
      AUTH_JWKS_URL: `${relays.auth!.url}/.well-known/jwks.json`,
      ...serviceUrls,
    };

    for (const name of SERVICE_NAMES) {
      const database = mongoUrlFor(uniqueName(name));
      for (const [index, port] of ports[name]!.entries()) {
        all.push(
          managed(name, index, port, relays[name], {
            ...common,
            PORT: String(port),
            MONGO_URL: database,
            AMQP_URL: amqpUrl,
            BUS_NAMESPACE: namespace,
            SMTP_HOST: '127.0.0.1',
            SMTP_PORT: String(smtp.port),
            ...SERVICE_TEST_ENV[name],
            ...(name === 'auth' ? bootstrapAdminEnv(admin) : {}),
            ...opts.env?.['*'],
            ...opts.env?.[name],
          }),
        );
      }
    }
    all.push(
      managed('gateway', 0, gatewayPort, undefined, {
        ...common,
        PORT: String(gatewayPort),
        READY_UPSTREAMS: SERVICE_NAMES.join(','),
        ...GATEWAY_TEST_ENV,
        ...opts.env?.['*'],
        ...opts.env?.gateway,
      }),
    );

    for (const m of all) spawnOne(m);
    const deadline = Date.now() + startTimeoutMs;
    // Every service first, then the gateway: its /readyz requires none of them (it is ready once it routes).
    await Promise.all(all.filter((m) => m.public.service !== 'gateway').map((m) => waitReady(m, deadline)));
    await waitReady(find('gateway'), deadline);

    return {
      url,
      api: new Api(url),
      smtp,
      admin,
      instances: all.map((m) => m.public),
      namespace,
      logs: () => lines.map((entry) => entry.line),
      logLines: () => [...lines],
      envOf: (service, index = 0) => ({ ...find(service, index).env }),
      connectionsTo: (service) => relays[service]!.targets.map((target) => target.connections),
      kill: (service, index = 0, signal = 'SIGTERM') => terminate(find(service, index), signal),
      async restart(service, index = 0) {
        const target = find(service, index);
        await terminate(target);
        spawnOne(target);
        await waitReady(target, Date.now() + startTimeoutMs);
        if (target.target) target.target.up = true;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function managed(
  service: DeployedProcessName,
  index: number,
  port: number,
  relay: RoundRobinRelay | undefined,
  env: Record<string, string>,
): Managed {
  return {
    public: { service, index, url: `http://127.0.0.1:${port}`, pid: undefined },
    port,
    env,
    lines: [],
    child: undefined,
    exited: undefined,
    exit: undefined,
    target: relay?.targets[index],
    relay,
  };
}

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    INHERITED_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]),
  );
}

/** The last lines a process printed, for a failure's message. */
function tail(managed: Managed): string {
  const last = managed.lines.slice(-LOG_TAIL_LINES).map((entry) => `  ${entry.stream}| ${entry.line}`);
  return last.length ? `its last ${last.length} log lines:\n${last.join('\n')}` : 'it printed nothing';
}
