import { Bus } from '@convene/bus';
import type { DomainEvent, EventName } from '@convene/contracts';
import { parseEnv } from '@convene/kit';
import { mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import { Env } from '../../src/env.ts';
import { type AuthService, createService } from '../../src/service.ts';

/** A clock the test can move; the service reads it for every expiry decision. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface RunningAuth {
  service: AuthService;
  url: string;
  namespace: string;
  database: string;
  clock: TestClock;
  api: Api;
  stop(): Promise<void>;
}

/** The real auth service on a random 127.0.0.1 port, with its own database and bus namespace. */
export async function startAuth(
  overrides: Record<string, string> = {},
  shared?: { database?: string; namespace?: string },
): Promise<RunningAuth> {
  const { amqpUrl } = testInfra();
  const database = shared?.database ?? uniqueName('auth');
  const namespace = shared?.namespace ?? `${uniqueName('auth')}.`;
  const env = parseEnv(Env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGO_URL: mongoUrlFor(database),
    AMQP_URL: amqpUrl,
    BUS_NAMESPACE: namespace,
    PUBLIC_URL: 'https://convene.test',
    // Cheap hashing keeps the suite fast; production uses the argon2id defaults.
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    REFRESH_REUSE_GRACE_SEC: '0',
    SIGNING_KEY_PREPUBLISH_SEC: '0',
    SIGNING_KEY_SECRET: 'test-secret-that-is-at-least-32-characters',
    OUTBOX_POLL_MS: '200',
    ...overrides,
  });
  const clock = new TestClock();
  const service = await createService(env, { now: clock.now });
  const { url } = await service.start();
  return { service, url, namespace, database, clock, api: new Api(url), stop: () => service.stop() };
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** A tiny JSON client over real HTTP. */
export class Api {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    { token, headers = {} }: RequestOptions = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, body, opts);
  }
  put<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PUT', path, body, opts);
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PATCH', path, body, opts);
  }
}

export const STRONG_PASSWORD = 'Corr3ct-Horse-Battery';

let counter = 0;
/** A fresh, valid registration body. */
export function newPerson(overrides: Record<string, string> = {}) {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return {
    username: `user_${tag}`,
    email: `user_${tag}@example.com`,
    password: STRONG_PASSWORD,
    password2: STRONG_PASSWORD,
    first_name: 'Test',
    last_name: 'Person',
    ...overrides,
  };
}

export interface Session {
  access: string;
  refresh: string;
  user: { id: string; username: string; email: string; role: string };
}

/** Registers and signs in a new person; returns their tokens. */
export async function signedInUser(api: Api, overrides: Record<string, string> = {}): Promise<Session> {
  const person = newPerson(overrides);
  const registered = await api.post('/api/auth/register', person);
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await api.post<Session>('/api/auth/login', { username: person.username, password: person.password });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return login.body;
}

/** Creates an admin straight through the use case (as the CLI does) and signs it in. */
export async function signedInAdmin(auth: RunningAuth): Promise<Session> {
  const { createAdmin } = await import('../../src/accounts/create-admin.ts');
  const person = newPerson();
  await createAdmin(auth.service.auth, { email: person.email, username: person.username, password: person.password });
  const login = await auth.api.post<Session>('/api/auth/login', {
    username: person.username,
    password: person.password,
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  return login.body;
}

/** A consumer on the real broker that records what it receives. */
export async function startProbe(namespace: string, names: EventName[]) {
  const bus = await Bus.connect({ url: testInfra().amqpUrl, service: 'probe', namespace });
  const received: DomainEvent[] = [];
  const handlers = Object.fromEntries(
    names.map((name) => [
      name,
      async (event: DomainEvent) => {
        received.push(event);
      },
    ]),
  );
  const subscription = await bus.subscribe('inbox', handlers as never);
  return {
    received,
    async waitFor<N extends EventName>(
      type: N,
      predicate: (event: DomainEvent<N>) => boolean = () => true,
      timeoutMs = 10_000,
    ): Promise<DomainEvent<N>> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = received.find((e) => e.type === type && predicate(e as DomainEvent<N>));
        if (hit) return hit as DomainEvent<N>;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${type} within ${timeoutMs} ms; got ${received.map((e) => e.type).join(', ') || 'nothing'}`);
    },
    async stop() {
      await subscription.cancel();
      await bus.close();
    },
  };
}
