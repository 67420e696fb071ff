// docker-compose.yml, checked without a Docker engine: loaded by compose-check (compose-go, the loader
// Docker Compose itself runs; built by infra/local/compose-check.sh, which `./convene test` runs
// first), then the resolved project read for what the stack promises an operator: every service and
// its infrastructure, health checks everywhere, ports only where people look, replicas possible, and
// each service given everything its Env schema cannot do without.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Env as AuthEnv } from '@convene/auth';
import { Env as EventsEnv } from '@convene/events';
import { Env as FeedbackEnv } from '@convene/feedback';
import { Env as GatewayEnv } from '@convene/gateway';
import { Env as InvitationsEnv } from '@convene/invitations';
import { parseEnv } from '@convene/kit';
import { Env as NotifierEnv } from '@convene/notifier';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const composeFile = join(root, 'docker-compose.yml');
const envExample = join(root, '.env.example');
const tools = process.env.CONVENE_TOOLS_DIR ?? join(homedir(), '.cache', 'convene-tools');
const validator = process.env.COMPOSE_CHECK ?? join(tools, 'compose-check', 'compose-check');

/** A service's zod Env schema (what kit's parseEnv takes). */
type EnvSchema = Parameters<typeof parseEnv>[0];

const SCHEMAS: Record<string, EnvSchema> = {
  gateway: GatewayEnv,
  auth: AuthEnv,
  events: EventsEnv,
  invitations: InvitationsEnv,
  feedback: FeedbackEnv,
  notifier: NotifierEnv,
};
const SERVICES = Object.keys(SCHEMAS);
const WITH_DATABASE = SERVICES.filter((name) => name !== 'gateway');
const INFRASTRUCTURE = ['rabbitmq', 'mailpit', 'jaeger', ...WITH_DATABASE.map((name) => `mongo-${name}`)];
/** What may be reached from the host: the gateway, and the UIs people read (mail, traces, broker). */
const PUBLISHED: Record<string, number[]> = { gateway: [8080], mailpit: [8025], jaeger: [16686], rabbitmq: [15672] };

interface Port {
  target: number;
  published?: string;
  host_ip?: string;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  container_name?: string;
  ports?: Port[];
  restart?: string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: { type: string; source: string; target: string }[];
  deploy?: { replicas?: number };
}
interface Project {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function check(file: string, extra: string[] = []): Promise<Outcome> {
  if (!existsSync(validator)) {
    throw new Error(`compose-check is not installed at ${validator}: run \`bash infra/local/compose-check.sh\``);
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(validator, [...extra, file], {
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
      // Only the file's own defaults: a developer's shell or .env must not make the check pass.
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function load(file: string, extra: string[] = []): Promise<Project> {
  const outcome = await check(file, extra);
  if (outcome.code !== 0) throw new Error(`compose-check refused ${file}: ${outcome.stderr}`);
  return JSON.parse(outcome.stdout) as Project;
}

/** The variables a schema cannot do without: what parsing an empty environment names as missing. */
function requiredVariables(schema: EnvSchema): string[] {
  const result = schema.safeParse({});
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => issue.code === 'invalid_type' && issue.path.length === 1)
    .map((issue) => String(issue.path[0]));
}

const environmentOf = (service: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value ?? '']));

describe('docker-compose.yml, as Docker Compose loads it', () => {
  // Loaded once, on the first test that reads it: without the validator every test fails (none is
  // skipped), each saying how to install it.
  let loading: Promise<Project> | undefined;
  const rendered = () => {
    loading ??= load(composeFile);
    return loading;
  };

  it('is refused when broken, so a pass means something', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-check-'));
    try {
      const source = readFileSync(composeFile, 'utf8');
      const cases = {
        'a dependency on a service that does not exist': source.replace(
          '      auth: { condition: service_healthy }\n      events:',
          '      authentication: { condition: service_healthy }\n      events:',
        ),
        'a key the Compose Specification does not have': source.replace(
          '  restart: unless-stopped\n',
          '  restarts: always\n',
        ),
        'a healthcheck condition that does not exist': source.replace(
          'rabbitmq: { condition: service_healthy }',
          'rabbitmq: { condition: service_ready }',
        ),
      };
      for (const [what, broken] of Object.entries(cases)) {
        expect(broken, what).not.toBe(source);
        const file = join(dir, 'docker-compose.yml');
        writeFileSync(file, broken);
        const outcome = await check(file);
        expect(outcome.code, `${what} passed: ${outcome.stdout.slice(0, 200)}`).not.toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the six services from the one Dockerfile, and their infrastructure', async () => {
    const project = await rendered();
    expect(Object.keys(project.services).sort()).toEqual([...SERVICES, ...INFRASTRUCTURE].sort());
    for (const name of SERVICES) {
      const build = project.services[name]!.build;
      expect(build?.dockerfile, name).toBe('infra/docker/Dockerfile');
      expect(build?.args?.SERVICE, name).toBe(name);
    }
    expect(project.services.rabbitmq!.image).toMatch(/^rabbitmq:3\.13-management/);
    expect(project.services.mailpit!.image).toMatch(/^axllent\/mailpit/);
    expect(project.services.jaeger!.image).toMatch(/^jaegertracing\/all-in-one/);
  });

  it('gives every service a MongoDB 7 of its own, on a named volume, and points it there', async () => {
    const project = await rendered();
    const urls = new Set<string>();
    for (const name of WITH_DATABASE) {
      const mongo = project.services[`mongo-${name}`]!;
      expect(mongo.image, name).toBe('mongo:7');
      expect(mongo.volumes, name).toEqual([expect.objectContaining({ type: 'volume', target: '/data/db' })]);
      expect(Object.keys(project.volumes ?? {}), name).toContain(mongo.volumes![0]!.source);
      const url = environmentOf(project.services[name]!).MONGO_URL!;
      expect(new URL(url).hostname, name).toBe(`mongo-${name}`);
      urls.add(url);
    }
    expect(urls.size).toBe(WITH_DATABASE.length);
  });

  it('checks the health of every container and restarts what stops', async () => {
    const project = await rendered();
    for (const [name, service] of Object.entries(project.services)) {
      expect(service.healthcheck?.disable ?? false, name).toBe(false);
      expect(service.healthcheck?.test?.length ?? 0, `${name} has no healthcheck`).toBeGreaterThan(1);
      expect(service.restart, name).toBe('unless-stopped');
    }
    for (const name of SERVICES) {
      expect(project.services[name]!.healthcheck!.test!.join(' '), name).toContain('/healthz');
    }
  });

  it('starts a service only once what it needs is healthy', async () => {
    const project = await rendered();
    for (const name of WITH_DATABASE) {
      const needs = project.services[name]!.depends_on ?? {};
      expect(needs[`mongo-${name}`]?.condition, name).toBe('service_healthy');
      expect(needs.rabbitmq?.condition, name).toBe('service_healthy');
    }
    expect(project.services.notifier!.depends_on?.mailpit?.condition).toBe('service_healthy');
    for (const name of WITH_DATABASE) {
      expect(project.services.gateway!.depends_on?.[name]?.condition, name).toBe('service_healthy');
    }
  });

  it('publishes only the gateway and the UIs, and names no container, so any service scales', async () => {
    const project = await rendered();
    const published = Object.fromEntries(
      Object.entries(project.services)
        .filter(([, service]) => (service.ports ?? []).length > 0)
        .map(([name, service]) => [name, service.ports!.map((port) => port.target)]),
    );
    expect(published).toEqual(PUBLISHED);
    for (const [name, service] of Object.entries(project.services)) {
      expect(service.container_name, name).toBeUndefined();
    }
    for (const name of ['mailpit', 'jaeger', 'rabbitmq']) {
      expect(project.services[name]!.ports![0]!.host_ip, `${name}'s UI is for this machine only`).toBe('127.0.0.1');
    }
  });

  it.each(SERVICES)(
    'passes %s every variable its Env schema requires, and its Env accepts them in production',
    async (name) => {
      const project = await rendered();
      const environment = environmentOf(project.services[name]!);
      const required = requiredVariables(SCHEMAS[name]!);
      expect(required.length, `${name}'s schema requires nothing? the check would be empty`).toBeGreaterThan(0);
      expect(
        required.filter((variable) => !environment[variable]),
        `${name} lacks`,
      ).toEqual([]);
      expect(environment.NODE_ENV).toBe('production');
      // The service's own parse, production refusals included (kit's parseEnv: empty means unset).
      expect(() => parseEnv(SCHEMAS[name]!, environment)).not.toThrow();
    },
  );

  it('wires the services to each other and to the mail catcher and the trace collector', async () => {
    const project = await rendered();
    const env = (name: string) => environmentOf(project.services[name]!);
    for (const upstream of WITH_DATABASE) {
      expect(env('gateway')[`${upstream.toUpperCase()}_URL`]).toBe(`http://${upstream}:8080`);
    }
    expect(env('invitations').EVENTS_URL).toBe('http://events:8080');
    expect(env('invitations').AUTH_URL).toBe('http://auth:8080');
    expect(env('feedback').EVENTS_URL).toBe('http://events:8080');
    expect(env('notifier').SMTP_HOST).toBe('mailpit');
    expect(env('notifier').SMTP_PORT).toBe('1025');
    expect(env('notifier').INVITATION_LINK_KEY).toBe(env('invitations').INVITATION_LINK_KEY);
    for (const name of SERVICES) {
      expect(env(name).AUTH_JWKS_URL, name).toBe('http://auth:8080/.well-known/jwks.json');
      expect(env(name).OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe('http://jaeger:4318');
    }
  });

  it("says in every secret's fallback that it is local-only", async () => {
    const project = await rendered();
    const env = (name: string) => environmentOf(project.services[name]!);
    const secrets = {
      SIGNING_KEY_SECRET: env('auth').SIGNING_KEY_SECRET!,
      UNSUBSCRIBE_SECRET: env('notifier').UNSUBSCRIBE_SECRET!,
      INVITATION_LINK_KEY: Buffer.from(env('invitations').INVITATION_LINK_KEY!, 'base64').toString('utf8'),
      RABBITMQ_PASSWORD: decodeURIComponent(new URL(env('events').AMQP_URL!).password),
      RABBITMQ_DEFAULT_PASS: env('rabbitmq').RABBITMQ_DEFAULT_PASS!,
    };
    for (const [name, value] of Object.entries(secrets)) expect(value, name).toMatch(/local-only/);
  });
});

describe('.env.example', () => {
  const interpolated = () => [
    ...new Set([...readFileSync(composeFile, 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)),
  ];
  const documented = () =>
    readFileSync(envExample, 'utf8')
      .split('\n')
      .flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);

  it('lists every variable docker-compose.yml reads, and nothing else', () => {
    expect(documented().sort()).toEqual(interpolated().sort());
  });

  it('says what each one is', () => {
    // A variable's comment sits above it, or above the group of variables it belongs to.
    const lines = readFileSync(envExample, 'utf8').split('\n');
    for (const name of documented()) {
      let i = lines.findIndex((line) => line.startsWith(`${name}=`)) - 1;
      while (i >= 0 && /^[A-Z][A-Z0-9_]*=/.test(lines[i]!)) i--;
      expect(lines[i] ?? '', `${name} has no comment above it`).toMatch(/^#\s*\S/);
    }
  });

  it('copied as it is to .env, still starts the stack', async () => {
    const copied = await load(composeFile, ['-env-file', envExample]);
    for (const name of SERVICES) {
      expect(() => parseEnv(SCHEMAS[name]!, environmentOf(copied.services[name]!)), name).not.toThrow();
    }
  });
});
