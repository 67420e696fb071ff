import { startProbe as startBusProbe } from '@convene/bus/testing';
import type { EventName } from '@convene/contracts';
import { parseEnv } from '@convene/kit';
import {
  type AuthSession,
  JsonClient,
  type JsonReply,
  type JsonRequestOptions,
  mongoUrlFor,
  personFactory,
  TestClock,
  testInfra,
  uniqueName,
} from '@convene/testing';
import { Env } from '../../src/env.ts';
import { type AuthService, createService } from '../../src/service.ts';

export interface RunningAuth {
  service: AuthService;
  url: string;
  namespace: string;
  database: string;
  /** The service's clock (@convene/testing): tests move it in ms; freeze() makes reported durations exact. */
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
    REFRESH_REUSE_GRACE_MS: '0',
    SIGNING_KEY_PREPUBLISH_MS: '0',
    SIGNING_KEY_SECRET: 'test-secret-that-is-at-least-32-characters',
    OUTBOX_POLL_MS: '200',
    ...overrides,
  });
  const clock = new TestClock();
  const service = await createService(env, { now: clock.now });
  const { url } = await service.start();
  return { service, url, namespace, database, clock, api: new Api(url), stop: () => service.stop() };
}

export type Reply<T = Record<string, unknown>> = JsonReply<T>;
export type RequestOptions = JsonRequestOptions;

/** The shared JSON test client; a string body is sent as it is (e.g. malformed JSON), like `raw`. */
export class Api extends JsonClient {
  override request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts?: RequestOptions) {
    return typeof body === 'string'
      ? super.request<T>(method, path, undefined, { ...opts, raw: body })
      : super.request<T>(method, path, body, opts);
  }
}

export { STRONG_PASSWORD } from '@convene/testing';
export type Session = AuthSession;

/** A fresh, valid registration body. */
export const newPerson = personFactory('user_');

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
  const { createAdmin } = await import('../../src/flows/create-admin.ts');
  const person = newPerson();
  await createAdmin(auth.service.flows, { email: person.email, username: person.username, password: person.password });
  const login = await auth.api.post<Session>('/api/auth/login', {
    username: person.username,
    password: person.password,
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  return login.body;
}

/** A consumer on the real broker that records what auth publishes in its namespace. */
export function startProbe(namespace: string, names: EventName[]) {
  return startBusProbe({ url: testInfra().amqpUrl, namespace, names });
}
