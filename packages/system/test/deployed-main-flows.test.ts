import { randomBytes } from 'node:crypto';
import { type CapturedMail, eventually, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  type DeployedSystem,
  eventBody,
  type Json,
  login,
  type Session,
  signUp,
  startDeployed,
} from '../src/index.ts';
import { openNoticeSocket } from './support/notice-socket.ts';

/**
 * The system as deployed: the six services as separate OS processes, two replicas each of events,
 * invitations and the notifier behind the gateway, on the local database and broker. Every flow
 * goes through the gateway only, as a client's would; the notifier replicas send to one SMTP
 * capture, which must end up with every expected email exactly once.
 *
 * The tests run in order and build on each other (one deployment per file: nine processes).
 */
const REPLICAS = { events: 2, invitations: 2, notifier: 2 } as const;
/** How far ahead the feedback event starts: long enough to register for it, short enough to wait for. */
const FEEDBACK_EVENT_LEAD_MS = 20_000;
const MAIL_TIMEOUT_MS = 30_000;

let system: DeployedSystem;
/** Every secret the run handled, by value, with what it is (the log test below looks for each). */
const secrets = new Map<string, string>();
/** The emails the flows must cause: recipient and subject, each exactly once. */
const expectedMail: Array<{ to: string; subject: string | RegExp }> = [];
const startedAt = performance.now();

const keep = (what: string, value: string | undefined) => {
  if (value) secrets.set(value, what);
};
const keepSession = (who: string, session: { access: string; refresh: string }) => {
  keep(`${who}'s access token`, session.access);
  // A log line cut short would still show the signature: the one part no one can rebuild.
  keep(`${who}'s access token signature`, session.access.split('.').pop());
  keep(`${who}'s refresh token`, session.refresh);
};
const expectMail = (to: string, subject: string | RegExp) => expectedMail.push({ to: to.toLowerCase(), subject });
const matches = (mail: CapturedMail, { to, subject }: { to: string; subject: string | RegExp }) =>
  mail.to.some((address) => address.toLowerCase() === to) &&
  (typeof subject === 'string' ? mail.subject === subject : subject.test(mail.subject));
const mailTo = (to: string, subject: string | RegExp) =>
  system.smtp.waitFor((mail) => matches(mail, { to: to.toLowerCase(), subject }), MAIL_TIMEOUT_MS);

/** A password no other person of the run has, so a leak names whose it is. */
const freshPassword = () => `Deployed-${randomBytes(6).toString('hex')}-Pw9`;

type Person = Awaited<ReturnType<typeof signUp>>;
async function person(who: string): Promise<Person> {
  const password = freshPassword();
  keep(`${who}'s password`, password);
  const signedUp = await signUp(system.api, { password, password2: password });
  keepSession(who, signedUp.session);
  return signedUp;
}

async function createEvent(host: Person, overrides: Record<string, unknown> = {}): Promise<Json> {
  const created = await system.api.post('/api/events', eventBody(overrides), { token: host.token });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function register(event: Json, who: Person, body: Json = {}): Promise<Json> {
  const reply = await system.api.post(`/api/events/${event.id}/register`, body, { token: who.token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

async function participantsOf(event: Json, host: Person): Promise<string[]> {
  const reply = await system.api.get(`/api/events/${event.id}/participants`, { token: host.token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.results.map((p: { user: string }) => p.user).sort();
}

/** The token at the end of the first link to `/<kind>/...` in the mail's text part. */
function linkIn(mail: CapturedMail, kind: 'invite' | 'set-password'): { url: string; token: string } {
  const url = new RegExp(`https?://\\S+/${kind}/\\S+`).exec(mail.text)?.[0];
  expect(url, mail.text).toBeDefined();
  const token = new URL(url!).pathname.split('/').filter(Boolean).pop()!;
  keep(`a ${kind} link token`, token);
  return { url: url!, token };
}

/** Every unsubscribe link's token in the mail (signed; as good as a password for that one choice). */
function keepUnsubscribeTokens(mail: CapturedMail) {
  for (const [, token] of mail.text.matchAll(/\/api\/notifications\/unsubscribe\/([^\s/]+)/g)) {
    keep('an unsubscribe link token', token);
  }
}

beforeAll(async () => {
  const unsubscribeSecret = randomBytes(24).toString('hex');
  system = await startDeployed({
    replicas: REPLICAS,
    env: {
      // Reminders are not among these flows: their sweep would find the feedback event starting
      // within a day and mail its attendee at a moment of its own choosing.
      events: { REMINDER_INTERVAL_MS: '24h' },
      notifier: { UNSUBSCRIBE_SECRET: unsubscribeSecret },
    },
  });
  keep('the unsubscribe secret', unsubscribeSecret);
  keep('the signing key secret', system.envOf('auth').SIGNING_KEY_SECRET);
  keep('the invitation link key', system.envOf('invitations').INVITATION_LINK_KEY);
  keep("the bootstrap admin's password", system.admin.password);
  console.info(
    `[deployed] ${system.instances.length} processes ready in ${Math.round(performance.now() - startedAt)} ms`,
  );
}, 240_000);

afterAll(async () => {
  await system?.stop();
  // Which replica served how much is a fact of this run, not a promise (connections and messages
  // go to whichever replica is next or free), so it is reported, not asserted.
  const served = system?.instances.map(({ service, index }) => {
    const requests = system
      .logLines()
      .filter((l) => l.service === service && l.index === index && l.line.includes('"msg":"request"'));
    return `${service}#${index} ${requests.length}`;
  });
  console.info(
    `[deployed] whole file ${Math.round(performance.now() - startedAt)} ms; requests served: ${served?.join(', ')}`,
  );
});

// Several bounded waits in one test (emails, the bus, the feedback start) can add up past the default.
describe('the deployed system, through the gateway only', { timeout: 120_000 }, () => {
  let host: Person;
  let attendee: Person;
  let feedbackEvent: Json;

  it('registers an account, signs it in, refreshes its session and signs it out', async () => {
    const password = freshPassword();
    keep("the newcomer's password", password);
    const newcomer = await signUp(system.api, { password, password2: password });
    keepSession('the newcomer', newcomer.session);
    const again = await login(system.api, newcomer.person.username, password);
    keepSession('the newcomer (second sign-in)', again);
    const profile = await system.api.get('/api/auth/profile', { token: again.access });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    expect(profile.body).toMatchObject({ id: newcomer.id, username: newcomer.person.username });

    // Refusals log too: a wrong password, a mistyped confirmation, a forged refresh token.
    const wrong = freshPassword();
    keep('a wrong password tried', wrong);
    expect(
      (await system.api.post('/api/auth/login', { username: newcomer.person.username, password: wrong })).status,
    ).toBe(401);
    const [meant, mistyped] = [freshPassword(), freshPassword()];
    keep('a refused registration password', meant);
    keep('a mistyped password confirmation', mistyped);
    const refused = await system.api.post('/api/auth/register', {
      ...newcomer.person,
      username: `${newcomer.person.username}x`,
      email: `x${newcomer.person.email}`,
      password: meant,
      password2: mistyped,
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    const forged = `${again.refresh.slice(0, -4)}AAAA`;
    keep('a forged refresh token', forged);
    expect((await system.api.post('/api/auth/token/refresh', { refresh: forged })).status).toBe(401);

    const refreshed = await system.api.post('/api/auth/token/refresh', { refresh: again.refresh });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    keepSession('the newcomer (refreshed)', refreshed.body as Session);
    expect((await system.api.get('/api/auth/profile', { token: refreshed.body.access })).status).toBe(200);
    const out = await system.api.post('/api/auth/logout', { refresh: refreshed.body.refresh });
    expect(out.status, JSON.stringify(out.body)).toBeLessThan(300);
    expect((await system.api.post('/api/auth/token/refresh', { refresh: refreshed.body.refresh })).status).toBe(401);
  });

  it('creates an event that anyone can read, and one starting shortly that an attendee registers for', async () => {
    host = await person('the host');
    const event = await createEvent(host);
    const read = await system.api.get(`/api/events/${event.id}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id: event.id, title: event.title });

    // Feedback opens when an event starts, and a start must lie in the future when it is set: so
    // this event starts a few seconds from now, is registered for at once, and the feedback test
    // at the end waits (bounded) until the start has passed. The flows in between overlap the wait.
    attendee = await person('the attendee');
    const start = Date.now() + FEEDBACK_EVENT_LEAD_MS;
    feedbackEvent = await createEvent(host, {
      title: `Feedback ${uniqueName('f')}`,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 3_600_000).toISOString(),
    });
    expect((await register(feedbackEvent, attendee)).status).toBe('confirmed');
    expectMail(attendee.person.email, `Registration confirmed: ${feedbackEvent.title}`);
  });

  it('registers people until the event is full, waitlists the next, and promotes them when a seat is freed', async () => {
    const event = await createEvent(host, { max_participants: 2 });
    const [ann, bob, cy] = [await person('ann'), await person('bob'), await person('cy')];
    expect((await register(event, ann)).status).toBe('confirmed');
    expect((await register(event, bob)).status).toBe('confirmed');
    const full = await system.api.post(`/api/events/${event.id}/register`, {}, { token: cy.token });
    expect(full.status, JSON.stringify(full.body)).toBeGreaterThanOrEqual(400);
    const waiting = await register(event, cy, { waitlist: true });
    expect(waiting.status).toBe('waitlisted');
    expect(await participantsOf(event, host)).toEqual([ann.id, bob.id].sort());

    const cancelled = await system.api.post(`/api/events/${event.id}/unregister`, {}, { token: ann.token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBeLessThan(300);
    // The freed seat goes to the first in line, through the bus (either events replica).
    await eventually(async () => (await participantsOf(event, host)).join() === [bob.id, cy.id].sort().join(), {
      timeoutMs: 20_000,
      what: 'cy promoted into the freed seat',
    });

    expectMail(ann.person.email, `Registration confirmed: ${event.title}`);
    expectMail(ann.person.email, `Registration cancelled: ${event.title}`);
    expectMail(bob.person.email, `Registration confirmed: ${event.title}`);
    expectMail(cy.person.email, `You are on the waitlist for ${event.title}`);
    expectMail(cy.person.email, `You are in: a seat opened up for ${event.title}`);
    await mailTo(cy.person.email, /^You are in/);
  });

  it('invites by email; one accepts as a guest, one signed in, one declines; the seats are reserved', async () => {
    const event = await createEvent(host, { max_participants: 5 });
    const member = await person('the invited member');
    const guest = `${uniqueName('guest')}@example.com`;
    const decliner = `${uniqueName('decliner')}@example.com`;
    const sent = await system.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [guest, member.person.email, decliner], message: 'Please come' },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.created).toHaveLength(3);
    const invited = `${event.host_name} invited you to ${event.title}`;
    const links = Object.fromEntries(
      await Promise.all(
        [guest, member.person.email, decliner].map(async (email) => {
          const mail = await mailTo(email, invited);
          keepUnsubscribeTokens(mail);
          return [email, linkIn(mail, 'invite')] as const;
        }),
      ),
    );
    for (const email of [guest, member.person.email, decliner]) expectMail(email, invited);

    // The guest opens the link's page data, then accepts with a name.
    const token = links[guest]!.token;
    const verified = await system.api.get(`/api/attendee-invitations/verify/${token}`);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ event_name: event.title, can_accept: true });
    const accepted = await system.api.post('/api/attendee-invitations/accept', { token, full_name: 'Gail Guest' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    // The member accepts from the same kind of link, signed in.
    const memberAccept = await system.api.post(
      `/api/invites/${links[member.person.email]!.token}/accept`,
      {},
      { token: member.token },
    );
    expect(memberAccept.status, JSON.stringify(memberAccept.body)).toBe(200);
    expect(memberAccept.body.status).toBe('accepted');

    const declined = await system.api.post('/api/attendee-invitations/reject', { token: links[decliner]!.token });
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    expect(declined.body.status).toBe('declined');

    // events reserves both seats from invitation.accepted; invitations records the outcome.
    await eventually(
      async () => {
        const list = await system.api.get(`/api/events/${event.id}/invitations`, { token: host.token });
        const byEmail = Object.fromEntries(list.body.results.map((i: Json) => [i.email, i]));
        return (
          byEmail[guest]?.reservation === 'confirmed' &&
          byEmail[member.person.email.toLowerCase()]?.reservation === 'confirmed' &&
          byEmail[decliner]?.status === 'declined'
        );
      },
      { timeoutMs: 20_000, what: 'both accepted invitations holding a confirmed seat' },
    );
    expect(await participantsOf(event, host)).toContain(member.id);
    const stats = await system.api.get(`/api/events/${event.id}/invitations/stats`, { token: host.token });
    expect(stats.body).toMatchObject({ total_sent: 3, accepted: 2, rejected: 1, pending: 0 });

    const answered = (name: string, answer: string) => `${name} ${answer} your invitation to ${event.title}`;
    expectMail(host.person.email, answered('Gail Guest', 'accepted'));
    expectMail(host.person.email, answered(`${member.person.first_name} ${member.person.last_name}`, 'accepted'));
    // Who declined without giving a name is named by their address.
    expectMail(host.person.email, answered(decliner, 'declined'));
    expectMail(guest, `Registration confirmed: ${event.title}`);
    expectMail(member.person.email, `Registration confirmed: ${event.title}`);
  });

  it('pushes a notice to every socket of the user, whichever notifier replica holds it', async () => {
    const watcher = await person('the watcher');
    const sockets: Awaited<ReturnType<typeof openSocket>>[] = [];
    // Each WebSocket is a connection of its own through the gateway, and the relay in front of the
    // notifier hands connections to its replicas in turn: open sockets until both hold one. Which
    // replica took a socket is read from its own log (the upgrade's request line).
    const holders = new Set<number>();
    for (let attempt = 0; attempt < 8 && holders.size < REPLICAS.notifier; attempt++) {
      const before = socketLines().length;
      const socket = await openSocket(`${system.url}/api/notifications/ws`, watcher.token);
      sockets.push(socket);
      expect((await socket.next('ready')).type).toBe('ready');
      const line = await eventually(() => socketLines()[before], { what: "the socket's request line" });
      holders.add(line.index);
    }
    expect([...holders].sort()).toEqual([0, 1]);

    const event = await createEvent(host);
    expect((await register(event, watcher)).status).toBe('confirmed');
    expectMail(watcher.person.email, `Registration confirmed: ${event.title}`);
    // One replica handled registration.confirmed; both replicas' sockets get the notice.
    const notices = await Promise.all(sockets.map((socket) => socket.next('notification')));
    for (const notice of notices) {
      expect(notice.data).toMatchObject({ type: 'registration-confirmed', data: { event_id: event.id } });
    }
    expect(new Set(notices.map((n) => n.data.id)).size).toBe(1);
    for (const socket of sockets) socket.close();
  });

  it('spreads concurrent requests over the replicas of events and invitations', async () => {
    const event = await createEvent(host);
    const paths = { events: `/api/events/${event.id}`, invitations: `/api/events/${event.id}/invitations/stats` };
    // The gateway keeps a pool of connections to each service and opens more only while its
    // requests overlap; the relay hands each new one to the next replica. So bursts of requests at
    // once, until each replica's own log shows it served one (bounded: a relay stuck on one
    // replica, or a gateway holding one connection per service, fails here).
    const servedBy = (service: 'events' | 'invitations') =>
      new Set(
        system
          .logLines()
          .filter((l) => l.service === service && l.line.includes(`"path":"${paths[service]}"`))
          .map((l) => l.index),
      );
    for (const service of ['events', 'invitations'] as const) {
      await eventually(
        async () => {
          const burst = await Promise.all(
            Array.from({ length: 16 }, () => system.api.get(paths[service], { token: host.token })),
          );
          expect(burst.map((r) => r.status)).toEqual(Array(16).fill(200));
          return servedBy(service).size === REPLICAS[service];
        },
        { timeoutMs: 20_000, intervalMs: 200, what: `requests served by every ${service} replica` },
      );
    }
  });

  it('an admin creates a user, who sets a password from the emailed link and signs in with it', async () => {
    const admin = await adminSession(system);
    keepSession('the admin', admin);
    const tag = uniqueName('nia').replace(/[^a-z0-9]/gi, '');
    const email = `${tag}@example.com`;
    const created = await system.api.post(
      '/api/users',
      { email, username: tag, first_name: 'Nia', last_name: 'New' },
      { token: admin.access },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const subject = 'You have been invited to Convene: set your password';
    const mail = await mailTo(email, subject);
    expectMail(email, subject);
    const link = linkIn(mail, 'set-password');
    expect(link.url.startsWith(`${system.url}/set-password/`)).toBe(true);

    expect((await fetch(link.url)).status).toBe(200);
    const password = freshPassword();
    keep("the admin-created user's password", password);
    const set = await fetch(link.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password, password2: password }).toString(),
    });
    const html = await set.text();
    expect(set.status, html).toBe(200);
    expect(html).toContain('Your password is set');
    const session = await login(system.api, tag, password);
    keepSession('the admin-created user', session);
    expect(session.user.email).toBe(email);
  });

  it('takes feedback from the attendee once the event has started, and tells the host', async () => {
    const left = await eventually(
      async () => {
        const reply = await system.api.post(
          `/api/events/${feedbackEvent.id}/feedback`,
          { rating: 5, comment: 'Worth the trip.' },
          { token: attendee.token },
        );
        // Before the start (and until feedback has heard of the registration) it is refused.
        return reply.status === 201 ? reply : undefined;
      },
      { timeoutMs: FEEDBACK_EVENT_LEAD_MS + 40_000, intervalMs: 500, what: 'feedback accepted after the start' },
    );
    expect(left.body).toMatchObject({ event: feedbackEvent.id, user: attendee.id, rating: 5 });
    const summary = await system.api.get(`/api/events/${feedbackEvent.id}/feedback/summary`);
    expect(summary.body).toMatchObject({ count: 1, average: 5 });
    expectMail(host.person.email, `New feedback on ${feedbackEvent.title}: 5 of 5`);
  });

  it('delivered every expected email exactly once, and nothing else, with two notifier replicas sending', async () => {
    const admin = await adminSession(system);
    keepSession('the admin (delivery log)', admin);
    await eventually(() => expectedMail.every((want) => system.smtp.messages.some((m) => matches(m, want))), {
      timeoutMs: MAIL_TIMEOUT_MS,
      what: `every expected email (${expectedMail.length})`,
    });
    // The notifier is done when its delivery log (the send queue, shared by both replicas) has
    // nothing left queued and every delivery in it is sent; each delivery is one email.
    const deliveries = async (status?: string) => {
      const reply = await system.api.get(`/api/notifications/deliveries${status ? `?status=${status}` : ''}`, {
        token: admin.access,
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.count as number;
    };
    await eventually(
      async () => (await deliveries('queued')) === 0 && (await deliveries('sent')) === (await deliveries()),
      {
        timeoutMs: MAIL_TIMEOUT_MS,
        what: 'the delivery log settled: nothing queued, everything sent',
      },
    );
    const captured = system.smtp.messages.map((m) => `${m.to.join(',')} | ${m.subject}`).sort();
    for (const mail of system.smtp.messages) keepUnsubscribeTokens(mail);
    for (const want of expectedMail) {
      expect(
        system.smtp.messages.filter((m) => matches(m, want)),
        `${want.to} | ${want.subject}\n${captured.join('\n')}`,
      ).toHaveLength(1);
    }
    expect(captured, 'every email sent was expected').toHaveLength(expectedMail.length);
    expect(await deliveries()).toBe(system.smtp.messages.length);
  });
});

/** The notifier replicas' request lines for WebSocket upgrades, in order. */
function socketLines() {
  return system.logLines().filter((l) => l.service === 'notifier' && l.line.includes('/api/notifications/ws'));
}

/** A WebSocket through the gateway, signed in with `token`. */
function openSocket(url: string, token: string) {
  return openNoticeSocket(url, { authorization: `Bearer ${token}` }, MAIL_TIMEOUT_MS);
}

describe('the logs of the whole run', () => {
  it('name no password, token, link token or key the run used', async () => {
    // Stopped first, so every line each process printed (its shutdown too) has been read.
    await system.stop();
    const lines = system.logLines();
    for (const { service, index } of system.instances) {
      const own = lines.filter((l) => l.service === service && l.index === index);
      expect(own.length, `${service}#${index} printed log lines`).toBeGreaterThan(0);
    }
    // The request lines are where a path's token or a header would leak: every service wrote some.
    for (const service of new Set(system.instances.map((i) => i.service))) {
      const requests = lines.filter((l) => l.service === service && l.line.includes('"msg":"request"'));
      expect(requests.length, `${service} logged its requests`).toBeGreaterThan(0);
    }
    expect(secrets.size).toBeGreaterThan(40);

    const needles = [...secrets].flatMap(([value, what]) =>
      [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])].map(
        (form) => [form, what] as const,
      ),
    );
    const leaks = lines.flatMap(({ service, index, line }) =>
      needles
        .filter(([form]) => line.includes(form))
        .map(([, what]) => `${service}#${index} logged ${what}: ${redacted(line, needles)}`),
    );
    expect(leaks, leaks.join('\n')).toEqual([]);
  });
});

/** The line with every secret in it replaced by what it is, cut to a readable length. */
function redacted(line: string, needles: ReadonlyArray<readonly [string, string]>): string {
  let out = line;
  for (const [form, what] of needles) out = out.split(form).join(`[${what}]`);
  return out.length > 600 ? `${out.slice(0, 600)}…` : out;
}
