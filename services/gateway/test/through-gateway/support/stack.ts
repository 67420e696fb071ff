import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Env as AuthEnv, type AuthService, createService as createAuth } from '@convene/auth';
import { type Probe, startProbe } from '@convene/bus/testing';
import { parseEnv } from '@convene/kit';
import {
  type AuthSession,
  type AuthUser,
  JsonClient,
  type JsonReply,
  type JsonRequestOptions,
  personFactory,
  startServiceForTest,
  testInfra,
  uniqueName,
} from '@convene/testing';
import { expect } from 'vitest';
// A relative import: @convene/events already depends on the gateway (its tests run through it).
import type { EventsService } from '../../../../events/src/index.ts';
import { UPSTREAMS } from '../../../src/domain/route-table.ts';
import { Env as GatewayEnv } from '../../../src/env.ts';
import { createService as createGateway, type GatewayService } from '../../../src/service.ts';
import { closedPort } from '../../support/upstreams.ts';

/**
 * The real auth service and the real gateway in front of it, both in-process on 127.0.0.1, with
 * the auth database and bus namespace of their own, and a consumer on the real broker that records
 * what auth publishes. The other services do not exist yet: their URLs point at a closed port.
 * Every test talks to the gateway only (`stack.api`); `stack.authUrl` is there for the few checks
 * that need to know what auth would answer directly. The gateway reaches auth through a counting
 * relay, so a test can tell whether a request got past the edge (`stack.authSaw`).
 */

/** A clock the test can move; auth reads it for every expiry decision. The gateway keeps real time. */
export class TestClock {
  offsetMs = 0;
  /** While set, the clock stands still at this instant (plus the offset). */
  pinnedMs: number | undefined;
  readonly now = (): Date => new Date((this.pinnedMs ?? Date.now()) + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
  /** Stops the clock where it is, so that durations auth reports (Retry-After) are exact. */
  pin(): void {
    this.pinnedMs = this.now().getTime();
    this.offsetMs = 0;
  }
  /** Real time again, not moved. */
  reset(): void {
    this.offsetMs = 0;
    this.pinnedMs = undefined;
  }
}

export { STRONG_PASSWORD } from '@convene/testing';
export const OTHER_STRONG_PASSWORD = 'Purple-Staple-Lantern-42';

export interface Stack {
  /** The gateway's base URL: the only address clients use. */
  url: string;
  api: Api;
  /** Auth's own address, for control checks only. */
  authUrl: string;
  /** `METHOD /path?query` of every request the gateway forwarded to auth, in order. */
  authSaw: string[];
  auth: AuthService;
  /** The real events service, when started with `events: true` (EVENTS_URL points at it). */
  events?: { url: string; service: EventsService };
  gateway: GatewayService;
  probe: Probe;
  clock: TestClock;
  /** The bootstrap admin configured through BOOTSTRAP_ADMIN_* (never created by a test request). */
  admin: { email: string; username: string; password: string };
  stop(): Promise<void>;
}

/** Events the probe listens to. */
const PROBED = ['user.registered', 'user.invited', 'user.activated', 'user.deactivated', 'user.updated'] as const;

export async function startStack({
  authEnv = {},
  gatewayEnv = {},
  events: withEvents = false,
}: {
  authEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  events?: boolean;
} = {}): Promise<Stack> {
  const tag = uniqueName('gwadmin').replace(/[^a-z0-9]/gi, '');
  const admin = { email: `${tag}@example.com`, username: tag, password: 'Bootstrap-Admin-Secret-7' };
  const clock = new TestClock();
  const nowhere = `http://127.0.0.1:${await closedPort()}`;

  // The emailed set-password link must open the gateway's page, so auth is told the gateway's
  // address (PUBLIC_URL) before the gateway listens: a free port is picked first and, in the
  // unlikely case something takes it in between, everything is started again.
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const auth = await startServiceForTest('auth', (env) => createAuth(parseEnv(AuthEnv, env), { now: clock.now }), {
      PUBLIC_URL: url,
      // Cheap hashing keeps the suite fast; production uses the argon2id defaults.
      ARGON2_MEMORY_KIB: '8192',
      ARGON2_TIME_COST: '1',
      // Any second use of a rotated refresh token is theft here (no grace for a lost response).
      REFRESH_REUSE_GRACE_SEC: '0',
      SIGNING_KEY_PREPUBLISH_SEC: '0',
      SIGNING_KEY_SECRET: 'through-gateway-secret-at-least-32-characters',
      OUTBOX_POLL_MS: '200',
      // Every request of a file comes from 127.0.0.1: the per-address budget must not run out.
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_USERNAME: admin.username,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      ...authEnv,
    });
    const probe = await startProbe({ url: testInfra().amqpUrl, namespace: auth.env.BUS_NAMESPACE!, names: PROBED });
    const relay = await startCountingRelay(auth.url);
    const events = withEvents ? await startEvents(auth.url, url) : undefined;
    const gateway = await createGateway(
      parseEnv(GatewayEnv, {
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        ...Object.fromEntries(UPSTREAMS.map((name) => [`${name.toUpperCase()}_URL`, nowhere])),
        AUTH_URL: relay.url,
        ...(events ? { EVENTS_URL: events.url } : {}),
        AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
        RATE_LIMIT_PER_IP: '100000',
        RATE_LIMIT_PER_USER: '100000',
        ...gatewayEnv,
      }),
      { processMetrics: false },
    );
    try {
      await gateway.start();
    } catch (err) {
      await gateway.stop();
      await relay.close();
      await events?.stop();
      await probe.stop();
      await auth.stop();
      if ((err as { code?: string }).code === 'EADDRINUSE' && attempt < 3) continue;
      throw err;
    }
    return {
      url,
      api: new Api(url),
      authUrl: auth.url,
      authSaw: relay.seen,
      auth: auth.service,
      ...(events ? { events: { url: events.url, service: events.service } } : {}),
      gateway,
      probe,
      clock,
      admin,
      async stop() {
        await gateway.stop();
        await relay.close();
        await events?.stop();
        await probe.stop();
        await auth.stop();
      },
    };
  }
}

/** The real events service, trusting auth's keys; its own database and bus namespace, no timers. */
async function startEvents(authUrl: string, publicUrl: string) {
  const { createService: createEvents, Env: EventsEnv } = await import('../../../../events/src/index.ts');
  return startServiceForTest('events', (env) => createEvents(parseEnv(EventsEnv, env)), {
    AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
    PUBLIC_URL: publicUrl,
    JOBS_ENABLED: 'false',
    EVENT_CREATE_LIMIT: '1000',
  });
}

/**
 * A plain HTTP relay in front of auth that writes down each request it passes on (method and path
 * as received) and otherwise forwards bytes as they are, both ways.
 */
async function startCountingRelay(target: string): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      { hostname, port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: relayPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${relayPort}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

export type Reply<T = Json> = JsonReply<T>;
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions, not by types
export type Json = Record<string, any>;

export interface CallOptions extends JsonRequestOptions {
  /** Sent as the `access_token` cookie (how seed 001's browser clients authenticate). */
  cookie?: string;
}

/** The shared JSON test client, with the access_token cookie as an option and `call` for `request`. */
export class Api extends JsonClient<Json, CallOptions> {
  override request<T = Json>(method: string, path: string, body?: unknown, opts: CallOptions = {}) {
    const { cookie, ...rest } = opts;
    const headers = cookie ? { cookie: `access_token=${cookie}`, ...rest.headers } : rest.headers;
    return super.request<T>(method, path, body, { ...rest, headers });
  }

  call<T = Json>(method: string, path: string, body?: unknown, opts?: CallOptions) {
    return this.request<T>(method, path, body, opts);
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
  expect(reply.body).toMatchObject({ status });
  if (code) expect(reply.body.code, context).toBe(code);
  if (errors) expect(reply.body.errors, context).toEqual(errors);
  expect(reply.body.request_id).toBe(reply.headers.get('x-request-id'));
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

/** A fresh, valid registration body (seed 003 shape). */
export const newPerson = personFactory('gw_');

export type Session = AuthSession<Json & AuthUser>;

/** Signs in through the gateway; fails the test unless it works. */
export async function login(api: Api, username: string, password: string): Promise<Session> {
  const reply = await api.post<Session>('/api/auth/login', { username, password });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** Registers a new person and signs them in, through the gateway. */
export async function newUserSession(api: Api, overrides: Record<string, string> = {}) {
  const person = newPerson(overrides);
  const registered = await api.post('/api/auth/register', person);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  return { person, session: await login(api, person.username, person.password) };
}

export async function adminSession(stack: Stack): Promise<Session> {
  const session = await login(stack.api, stack.admin.username, stack.admin.password);
  expect(session.user.role).toBe('admin');
  return session;
}

/** The token at the end of a set-password link. */
export function tokenOf(link: string): string {
  return new URL(link).pathname.split('/').filter(Boolean).pop()!;
}

// ── The broker ────────────────────────────────────────────────────────────────────────────────

/**
 * The set-password link of the newest user.invited for this email that carries a link not seen
 * before (a resend announces a new one; the old message stays in `received`).
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
