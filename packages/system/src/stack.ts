import { type Probe, startProbe } from '@convene/bus/testing';
import type { EventName } from '@convene/contracts';
import {
  type AuthSession,
  type AuthUser,
  freePort,
  JsonClient,
  type JsonReply,
  type JsonRequestOptions,
  personFactory,
  type SmtpCapture,
  startSmtpCapture,
  type TestableService,
  testInfra,
  testServiceEnv,
  uniqueName,
} from '@convene/testing';
import { expect } from 'vitest';
import { startCountingRelay } from './counting-relay.ts';
import { bootstrapAdmin, bootstrapAdminEnv, GATEWAY_TEST_ENV } from './service-test-env.ts';
import { SERVICE_NAMES, SERVICES, type ServiceName } from './services.ts';

/**
 * A whole Convene on 127.0.0.1, in this test process: the chosen services (each with a database of
 * its own), one bus namespace they all share (so they hear each other, and no other test file
 * hears them), the real gateway in front of them, an SMTP capture for the notifier, and a probe
 * recording the domain events. Tests talk to the gateway only (`stack.api`), as clients do.
 */
export interface SystemStack {
  /** The gateway's base URL: the only address clients use. */
  url: string;
  api: Api;
  /** Each started service and its own address (for control checks only). */
  services: Partial<Record<ServiceName, { service: TestableService; url: string; env: Record<string, string> }>>;
  /**
   * For each service named in `countRequests`: `METHOD /path?query` of every request the gateway
   * forwarded to it, in order (the gateway reaches it through a counting relay).
   */
  seen: Partial<Record<ServiceName, string[]>>;
  namespace: string;
  probe: Probe;
  smtp: SmtpCapture;
  /** The bootstrap admin of auth (configured through BOOTSTRAP_ADMIN_*). */
  admin: { email: string; username: string; password: string };
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Which services to run; default every one that exists. The gateway always runs. */
  services?: readonly ServiceName[];
  /** Per-service environment overrides (strings, as a process would get them). */
  env?: Partial<Record<ServiceName | 'gateway', Record<string, string>>>;
  /** The domain events the probe records; default every event of the catalogue. */
  probe?: readonly EventName[];
  /** The clock every service reads (tests that move time pass a TestClock's `now`). */
  now?: () => Date;
  /** Services the gateway reaches through a counting relay, so `stack.seen[name]` lists what got past the edge. */
  countRequests?: readonly ServiceName[];
}

export async function startSystem(opts: SystemOptions = {}): Promise<SystemStack> {
  const now = opts.now ?? (() => new Date());
  const chosen = (opts.services ?? SERVICE_NAMES).filter((name) => SERVICES[name]);
  if (!chosen.includes('auth')) throw new Error('a system stack needs auth: the others verify its tokens');
  const namespace = `${uniqueName('sys')}.`;
  const admin = bootstrapAdmin();
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };

  try {
    const smtp = await startSmtpCapture();
    stops.push(() => smtp.close());
    const { catalogue } = await import('@convene/contracts');
    const probe = await startProbe({
      url: testInfra().amqpUrl,
      namespace,
      names: opts.probe ?? (Object.keys(catalogue) as EventName[]),
    });
    stops.push(() => probe.stop());

    // Services put the gateway's address into the links they send (PUBLIC_URL), so its port is
    // chosen before anything starts; the gateway binds it last.
    const gatewayPort = await freePort();
    const url = `http://127.0.0.1:${gatewayPort}`;
    const services: SystemStack['services'] = {};
    for (const name of chosen) {
      const entry = await SERVICES[name]!();
      const env = testServiceEnv(name, {
        PUBLIC_URL: url,
        BUS_NAMESPACE: namespace,
        // Services started earlier are reachable for internal reads (projection misses): AUTH_URL, EVENTS_URL, ...
        ...Object.fromEntries(Object.entries(services).map(([started, s]) => [`${started.toUpperCase()}_URL`, s.url])),
        AUTH_JWKS_URL: services.auth ? `${services.auth.url}/.well-known/jwks.json` : 'http://127.0.0.1:9/',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        ...(name === 'auth' ? bootstrapAdminEnv(admin) : {}),
        ...entry.testEnv,
        ...opts.env?.[name],
      });
      const service = await entry.create(env, { now });
      stops.push(() => service.stop());
      const started = await service.start();
      services[name] = { service, url: started.url, env };
    }

    const [{ Env: GatewayEnv, createService: createGateway }, { parseEnv }] = await Promise.all([
      import('@convene/gateway'),
      import('@convene/kit'),
    ]);
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const seen: SystemStack['seen'] = {};
    const upstreamUrls: Partial<Record<ServiceName, string>> = {};
    for (const name of chosen) {
      if (!opts.countRequests?.includes(name)) {
        upstreamUrls[name] = services[name]!.url;
        continue;
      }
      const relay = await startCountingRelay(services[name]!.url);
      stops.push(() => relay.close());
      seen[name] = relay.seen;
      upstreamUrls[name] = relay.url;
    }
    const gateway = await createGateway(
      parseEnv(GatewayEnv, {
        HOST: '127.0.0.1',
        PORT: String(gatewayPort),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        ...Object.fromEntries(
          SERVICE_NAMES.map((name) => [`${name.toUpperCase()}_URL`, upstreamUrls[name] ?? nowhere]),
        ),
        AUTH_JWKS_URL: `${services.auth!.url}/.well-known/jwks.json`,
        READY_UPSTREAMS: chosen.join(','),
        ...GATEWAY_TEST_ENV,
        ...opts.env?.gateway,
      }),
      { processMetrics: false },
    );
    stops.push(() => gateway.stop());
    await gateway.start();

    return { url, api: new Api(url), services, seen, namespace, probe, smtp, admin, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

export type Reply<T = Json> = JsonReply<T>;
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions, not by types
export type Json = Record<string, any>;

export interface CallOptions extends JsonRequestOptions {
  /** Sent as the `access_token` cookie (how the legacy invitation API's browser clients authenticate). */
  cookie?: string;
}

/** The shared JSON test client, with the access_token cookie as an option. */
export class Api extends JsonClient<Json, CallOptions> {
  override request<T = Json>(method: string, path: string, body?: unknown, opts: CallOptions = {}) {
    const { cookie, ...rest } = opts;
    const headers = cookie ? { cookie: `access_token=${cookie}`, ...rest.headers } : rest.headers;
    return super.request<T>(method, path, body, { ...rest, headers });
  }
}

/**
 * A problem+json answer with this status (and code / field errors when given). Its request_id is
 * the X-Request-Id the gateway answered with: the id the gateway made reached the service.
 */
export function expectProblem(
  reply: Reply,
  status: number,
  { code, errors }: { code?: string; errors?: Record<string, string[]> } = {},
): void {
  const context = JSON.stringify(reply.body);
  expect(reply.status, context).toBe(status);
  expect(reply.headers.get('content-type'), context).toContain('application/problem+json');
  expect(reply.body, context).toMatchObject({ status });
  if (code) expect(reply.body.code, context).toBe(code);
  if (errors) expect(reply.body.errors, context).toEqual(errors);
  expect(reply.body.request_id, context).toBe(reply.headers.get('x-request-id'));
}

/** The value of the access_token cookie a reply sets ('' when it clears it), with its attributes. */
export function accessCookie(reply: Reply): { value: string; attributes: string } | undefined {
  for (const line of reply.headers.getSetCookie()) {
    const match = /^access_token=([^;]*)(.*)$/.exec(line);
    if (match) return { value: match[1]!, attributes: match[2]! };
  }
  return undefined;
}

// ── People ────────────────────────────────────────────────────────────────────────────────────

export { STRONG_PASSWORD } from '@convene/testing';
/** Another password auth's policy accepts (for changing one). */
export const OTHER_STRONG_PASSWORD = 'Purple-Staple-Lantern-42';

/** A fresh, valid registration body, with `password2` and the names. */
export const newPerson = personFactory('sys_');
export type Session = AuthSession<Json & AuthUser>;

/** Signs in through the gateway; fails the test unless it works. */
export async function login(api: Api, username: string, password: string): Promise<Session> {
  const reply = await api.post<Session>('/api/auth/login', { username, password });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** Registers a new person and signs them in, through the gateway. */
export async function signUp(api: Api, overrides: Record<string, string> = {}) {
  const person = newPerson(overrides);
  const registered = await api.post('/api/auth/register', person);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const session = await login(api, person.username, person.password);
  return { person, session, token: session.access, id: session.user.id };
}

/** Signs the bootstrap admin in (of a SystemStack or a DeployedSystem alike). */
export async function adminSession(stack: Pick<SystemStack, 'api' | 'admin'>): Promise<Session> {
  const session = await login(stack.api, stack.admin.username, stack.admin.password);
  expect(session.user.role).toBe('admin');
  return session;
}

/** A fresh event body starting `inHours` from now, for `max_participants` people. */
export function eventBody(overrides: Record<string, unknown> = {}, { inHours = 48, hours = 2 } = {}) {
  const start = new Date(Date.now() + inHours * 3_600_000);
  return {
    title: `System event ${uniqueName('e')}`,
    description: 'A whole-system test event.',
    location: 'Room 1',
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + hours * 3_600_000).toISOString(),
    max_participants: 10,
    ...overrides,
  };
}

// ── Auth's emails, as the probe sees them ─────────────────────────────────────────────────────

/** The token at the end of a set-password link. */
export function tokenOf(link: string): string {
  return new URL(link).pathname.split('/').filter(Boolean).pop()!;
}

/**
 * The set-password link of the newest user.invited for this email that carries a link not seen
 * before (a resend announces a new one; the old message stays in the probe's record).
 */
export async function nextInvitationLink(probe: Probe, email: string, seen: Set<string>): Promise<string> {
  const event = await probe.waitFor(
    'user.invited',
    (e) => e.data.email === email && !seen.has(e.data.set_password_url),
  );
  const link = event.data.set_password_url;
  seen.add(link);
  return link;
}
