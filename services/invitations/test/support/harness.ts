import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bus } from '@convene/bus';
import { startProbe } from '@convene/bus/testing';
import { catalogue, type EventName, type EventSnapshot } from '@convene/contracts';
import { parseEnv } from '@convene/kit';
import { eventually, TestClock, testInfra, testServiceEnv, uniqueName } from '@convene/testing';
import { Env } from '../../src/env.ts';
import type { Actor } from '../../src/flows/context.ts';
import { createService } from '../../src/service.ts';

/**
 * The real invitations service (own database, own bus namespace), a publisher standing in for
 * events on the same namespace, a probe of what invitations publishes, and a stand-in for events'
 * internal read that counts its hits.
 */
export async function startInvitations(overrides: Record<string, string> = {}) {
  const events = new Map<string, EventSnapshot>();
  let internalReads = 0;
  const standIn: Server = createServer((req, res) => {
    const match = /^\/internal\/events\/([^/]+)$/.exec(req.url ?? '');
    const event = match ? events.get(decodeURIComponent(match[1]!)) : undefined;
    if (match) internalReads++;
    res.setHeader('content-type', 'application/json');
    if (!event) {
      res.statusCode = 404;
      return res.end('{"status":404}');
    }
    res.end(JSON.stringify({ event, version: 1 }));
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  const namespace = `${uniqueName('inv')}.`;
  const clock = new TestClock();
  const raw = testServiceEnv('invitations', {
    BUS_NAMESPACE: namespace,
    EVENTS_URL: standInUrl,
    AUTH_URL: standInUrl,
    JOBS_ENABLED: 'false',
    OUTBOX_POLL_MS: '100',
    INVITATION_LINK_KEY: Buffer.alloc(32, 5).toString('base64'),
    ...overrides,
  });
  const env = parseEnv(Env, raw);
  const service = await createService(env, { now: clock.now });
  const { amqpUrl } = testInfra();
  const probe = await startProbe({ url: amqpUrl, namespace, names: Object.keys(catalogue) as EventName[] });
  const publisher = await Bus.connect({ url: amqpUrl, service: uniqueName('pub'), namespace });
  return {
    service,
    env,
    clock,
    probe,
    publisher,
    /** What events' internal read answers (and how often it was asked). */
    events,
    internalReads: () => internalReads,
    linkKey: Buffer.from(env.INVITATION_LINK_KEY, 'base64'),
    async stop() {
      await publisher.close();
      await probe.stop();
      await service.stop();
      await new Promise((resolve) => standIn.close(resolve));
    },
  };
}

export type RunningInvitations = Awaited<ReturnType<typeof startInvitations>>;

let n = 0;
export function person(name = 'user'): Actor {
  n++;
  const id = `${name}-${process.pid}-${n}-${Date.now().toString(36)}`;
  return { id, email: `${id}@example.com`, name: `${name} ${n}`, username: id };
}

export function snapshot(host: Actor, overrides: Partial<EventSnapshot> = {}): EventSnapshot {
  const start = new Date(Date.now() + 10 * 86_400_000);
  return {
    event_id: uniqueName('evt'),
    title: 'Service test event',
    description: 'Described.',
    host: { user_id: host.id, email: host.email, name: host.name },
    cohost_ids: [],
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + 7_200_000).toISOString(),
    location: 'Room 2',
    timezone: 'UTC',
    max_participants: 10,
    visibility: 'public',
    is_active: true,
    requires_check_in: false,
    waitlist_mode: 'auto',
    ...overrides,
  };
}

/** Polls `read` until `check` holds of what it read, with @convene/testing's eventually (the bound is a failure timeout only). */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  let last: { value: T } | undefined;
  await eventually(
    async () => {
      last = { value: await read() };
      return check(last.value);
    },
    { timeoutMs, what: 'the value to hold' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last read: ${last ? JSON.stringify(last.value) : 'none'}`, { cause: err });
  });
  return last!.value;
}
