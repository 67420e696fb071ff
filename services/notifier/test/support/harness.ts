import { randomUUID } from 'node:crypto';
import { Bus } from '@convene/bus';
import { type DomainEvent, type EventDataInput, type EventName, envelope } from '@convene/contracts';
import { type AuthUser, parseEnv, unauthorized, type Verifier } from '@convene/kit';
import {
  type CapturedMail,
  mongoUrlFor,
  type SmtpCapture,
  startSmtpCapture,
  startTcpProxy,
  type TcpProxy,
  testInfra,
  testServiceEnv,
  uniqueName,
} from '@convene/testing';
import { createService, Env, type NotifierService, type ServiceOptions } from '../../src/index.ts';

/**
 * Stands in for auth's token check: a token is whatever `signIn` handed out. The notifier's own
 * JWT handling is kit's verifier (tested there, and end to end through the gateway in
 * packages/system); here the point is what the notifier does for a signed-in user.
 */
export class TestTokens implements Verifier {
  readonly #users = new Map<string, AuthUser>();
  signIn(user: Partial<AuthUser> & { id: string }): string {
    const token = `tok-${randomUUID()}`;
    this.#users.set(token, {
      username: user.id,
      email: `${user.id}@example.com`,
      name: user.id,
      role: 'user',
      ...user,
    } as AuthUser);
    return token;
  }
  async verify(token: string): Promise<AuthUser> {
    const user = this.#users.get(token);
    if (!user) throw unauthorized('Invalid token.', 'TOKEN_INVALID');
    return user;
  }
}

export interface Harness {
  smtp: SmtpCapture;
  /** The SMTP address the notifier uses: a proxy in front of the capture, to cut it. */
  smtpProxy: TcpProxy;
  replicas: Array<{ service: NotifierService; url: string }>;
  tokens: TestTokens;
  namespace: string;
  publish<N extends EventName>(type: N, data: EventDataInput<N>, opts?: { id?: string }): Promise<DomainEvent<N>>;
  /** Publishes an already built envelope again (a redelivery). */
  republish(event: DomainEvent): Promise<void>;
  /** Starts another replica on the same database and bus namespace. */
  addReplica(
    overrides?: Record<string, string>,
    opts?: ServiceOptions,
  ): Promise<{ service: NotifierService; url: string }>;
  stop(): Promise<void>;
}

/** One or more notifier replicas sharing a database and bus namespace, an SMTP capture, a publisher. */
export async function startHarness({
  replicas = 1,
  env: overrides = {},
  opts = {},
}: {
  replicas?: number;
  env?: Record<string, string>;
  opts?: ServiceOptions;
} = {}): Promise<Harness> {
  const stops: Array<() => Promise<unknown>> = [];
  const smtp = await startSmtpCapture();
  stops.push(() => smtp.close());
  const smtpProxy = await startTcpProxy('127.0.0.1', smtp.port);
  stops.push(() => smtpProxy.close());
  const namespace = `${uniqueName('ntf')}.`;
  const database = uniqueName('notifier');
  const tokens = new TestTokens();
  const publisher = await Bus.connect({ url: testInfra().amqpUrl, service: 'test-publisher', namespace });
  stops.push(() => publisher.close());
  const smtpPort = new URL(smtpProxy.url('smtp://127.0.0.1:1')).port;

  const running: Harness['replicas'] = [];
  const addReplica: Harness['addReplica'] = async (extra = {}, extraOpts = {}) => {
    const raw = testServiceEnv('notifier', {
      MONGO_URL: mongoUrlFor(database),
      BUS_NAMESPACE: namespace,
      PUBLIC_URL: 'http://convene.test',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: smtpPort,
      SEND_RETRY_DELAYS_MS: '100,200,400',
      SEND_MAX_ATTEMPTS: '100',
      SEND_INTERVAL_MS: '100',
      SMTP_TIMEOUT_MS: '3000',
      INVITATION_LINK_KEY: LINK_KEY.toString('base64'),
      // Small fan-out batches, so a 7-person event takes three.
      FANOUT_BATCH: '3',
      ...overrides,
      ...extra,
    });
    const service = await createService(parseEnv(Env, raw), { verifier: tokens, ...opts, ...extraOpts });
    stops.push(() => service.stop());
    const { url } = await service.start();
    const replica = { service, url };
    running.push(replica);
    return replica;
  };
  try {
    for (let i = 0; i < replicas; i++) await addReplica();
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }

  return {
    smtp,
    smtpProxy,
    replicas: running,
    tokens,
    namespace,
    async publish(type, data, { id } = {}) {
      const event = envelope({ type, source: 'test', subject: 'test', data, ...(id ? { id } : {}) });
      await publisher.publish([event]);
      return event;
    },
    async republish(event) {
      await publisher.publish([event]);
    },
    addReplica,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}

/** The key invitation links are sealed with in these tests. */
export const LINK_KEY = Buffer.alloc(32, 7);

/** The delivery log's entries for an address (read from the first replica's database). */
export function deliveriesFor(h: Harness, email: string) {
  return h.replicas[0]!.service.store.deliveries.find({ 'recipient.email': email.toLowerCase() }).lean();
}

/** A header of a captured mail as sent (its value after the name), or undefined. */
export function header(mail: CapturedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
}

/** Mail to this address, counted exactly. */
export const mailTo = (smtp: SmtpCapture, address: string) => smtp.messages.filter((m) => m.to.includes(address));
