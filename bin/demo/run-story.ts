import { type Cast, type Member, namesOf, type Person } from './cast.ts';
import { type GatewayClient, type Json, problemText, StepFailed } from './gateway-client.ts';
import type { MailReader } from './mail-readers.ts';
import { countDownTo, pollFor } from './waiting.ts';

export interface StoryInput {
  client: GatewayClient;
  cast: Cast;
  capacity: number;
  startsInMs: number;
  /** Absent: nobody can read the guests' emails, so only the invitees with accounts answer. */
  mail: MailReader | undefined;
  say(line: string): void;
  /** Something the story leaves out, and why. */
  note(line: string): void;
}

/** What happened, for the closing summary. */
export interface StoryFacts {
  event: Json;
  stats: Json;
  feedback: Json;
  waiting: string[];
  promoted: { name: string; afterMs: number };
  cancelled: string;
  guestsAnswered: boolean;
  addresses: Set<string>;
}

/** The whole story, step by step, through the gateway only. */
export async function runStory({
  client,
  cast,
  capacity,
  startsInMs,
  mail,
  say,
  note,
}: StoryInput): Promise<StoryFacts> {
  client.beginStep('host');
  const host = await signUp(client, cast.host);
  say(`${host.name} signed up and signed in; she hosts the event`);

  client.beginStep('event');
  const start = new Date(Date.now() + startsInMs);
  const event = await client.expect(
    201,
    'POST',
    '/api/events',
    {
      title: `Convene demo ${cast.run}`,
      description: 'A short evening the demo command made up: invitations, a waitlist, feedback.',
      location: 'Room 1, Convene HQ',
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + 3_600_000).toISOString(),
      max_participants: capacity,
      waitlist_mode: 'auto',
    },
    host.token,
  );
  say(
    `created "${event.title}" for ${capacity} people, starting ${clock(start)} (in ${Math.round(startsInMs / 1000)} s)`,
  );
  const beforeStart = (what: string) => {
    if (Date.now() >= start.getTime()) {
      throw new StepFailed(`the event started before ${what}; give the demo more time with --starts-in`);
    }
  };

  client.beginStep('accounts');
  const invitedMembers = await Promise.all(cast.invitedMembers.map((p) => signUp(client, p)));
  const walkIns = await Promise.all(cast.walkIns.map((p) => signUp(client, p)));
  say(
    `${namesOf(invitedMembers)} have accounts, as do ${walkIns.length} people who will register themselves; ${namesOf([...cast.guests, cast.decliner])} have none`,
  );

  client.beginStep('invite');
  const invitees = [...cast.guests, cast.decliner, ...cast.invitedMembers];
  const sent = await client.expect(
    201,
    'POST',
    `/api/events/${event.id}/invitations`,
    { emails: invitees.map((p) => p.email), message: 'Come along, it is only an hour.' },
    host.token,
  );
  if (sent.created.length !== invitees.length) {
    throw new StepFailed(
      `invited ${invitees.length}, but the answer created ${sent.created.length}: ${JSON.stringify(sent.skipped)}`,
    );
  }
  say(`${host.name} invited ${invitees.length} people by email: ${namesOf(invitees)}`);

  const guestsAnswered = mail !== undefined;
  if (mail) {
    for (const guest of cast.guests) {
      client.beginStep(`guest-${guest.name.toLowerCase()}`);
      const token = await invitationTokenFor(mail, guest);
      await client.expect(200, 'POST', '/api/attendee-invitations/accept', { token, full_name: `${guest.name} Guest` });
    }
    client.beginStep('guest-decline');
    const token = await invitationTokenFor(mail, cast.decliner);
    await client.expect(200, 'POST', '/api/attendee-invitations/reject', { token });
    say(
      `${namesOf(cast.guests)} accepted as guests, with the link from their email (read in ${mail.kind}); ${cast.decliner.name} declined`,
    );
  } else {
    note(
      `no mail UI to read: ${namesOf([...cast.guests, cast.decliner])} cannot get their links, so their invitations stay pending (give --mail-ui)`,
    );
  }

  client.beginStep('members-accept');
  for (const member of invitedMembers) {
    const mine = await client.expect(200, 'GET', '/api/invitations?page_size=100', undefined, member.token);
    const invitation = (mine.results as Json[]).find((i) => i.event === event.id);
    if (!invitation) throw new StepFailed(`${member.name} signed in but does not see the invitation to the event`);
    await client.expect(200, 'PUT', `/api/invitations/${invitation.id}`, { status: 'accepted' }, member.token);
  }
  say(`${namesOf(invitedMembers)} accepted signed in`);

  // An acceptance records the answer; events reserves the seat afterwards (over the bus).
  client.beginStep('reservations');
  const accepted = invitedMembers.length + (guestsAnswered ? cast.guests.length : 0);
  const reserved = await pollFor('the seats of the accepted invitations', async () => {
    const list = await client.expect(
      200,
      'GET',
      `/api/events/${event.id}/invitations?status=accepted&page_size=100`,
      undefined,
      host.token,
    );
    const results = list.results as Json[];
    return results.length === accepted && results.every((i) => i.reservation && i.reservation !== 'pending')
      ? results
      : undefined;
  });
  say(`events reserved their seats: ${tally(reserved.map((i) => String(i.reservation)))}`);

  client.beginStep('register');
  const confirmedWalkIns: Member[] = [];
  const waitlisted: Member[] = [];
  for (const person of walkIns) {
    if (waitlisted.length === 2) break;
    beforeStart('everyone had registered');
    const now = await client.expect(200, 'GET', `/api/events/${event.id}`, undefined, host.token);
    if (now.available_spots > 0) {
      const reg = await client.expect(201, 'POST', `/api/events/${event.id}/register`, {}, person.token);
      if (reg.status !== 'confirmed')
        throw new StepFailed(`${person.name} registered with a seat free, but is ${reg.status}`);
      confirmedWalkIns.push(person);
      continue;
    }
    if (waitlisted.length === 0) {
      const refused = await client.request('POST', `/api/events/${event.id}/register`, {}, person.token);
      if (refused.status !== 400) throw new StepFailed(`${person.name} registered for a full event: ${refused.status}`);
      const seats = confirmedWalkIns.length === 1 ? 'seat' : 'seats';
      say(
        `${namesOf(confirmedWalkIns)} registered and took the last ${seats}; ${person.name}, registering next, is told "${refused.body.detail}"`,
      );
    }
    const reg = await client.expect(201, 'POST', `/api/events/${event.id}/register`, { waitlist: true }, person.token);
    if (reg.status !== 'waitlisted')
      throw new StepFailed(`${person.name} asked for the waitlist, but is ${reg.status}`);
    waitlisted.push(person);
  }
  if (confirmedWalkIns.length === 0 || waitlisted.length < 2) {
    throw new StepFailed(
      `expected seats taken and two people waiting; ${confirmedWalkIns.length} registered, ${waitlisted.length} waiting`,
    );
  }
  say(`${namesOf(waitlisted)} joined the waitlist (places 1 and 2)`);

  client.beginStep('cancel');
  beforeStart('the cancellation');
  const leaving = confirmedWalkIns[0]!;
  const next = waitlisted[0]!;
  const cancelledAt = Date.now();
  await client.expect(200, 'POST', `/api/events/${event.id}/unregister`, undefined, leaving.token);
  // Promotion is asynchronous: events hears its own cancellation and moves the line.
  await pollFor(`${next.name} moving up from the waitlist`, async () => {
    const mine = await client.expect(200, 'GET', '/api/my-registrations?page_size=100', undefined, next.token);
    const reg = (mine.results as Json[]).find((r) => r.event?.id === event.id);
    return reg?.status === 'confirmed' ? reg : undefined;
  });
  const promoted = { name: next.name, afterMs: Date.now() - cancelledAt };
  say(
    `${leaving.name} cancelled; ${next.name} moved up from the waitlist ${(promoted.afterMs / 1000).toFixed(1)} s later`,
  );

  client.beginStep('wait-for-start');
  await countDownTo(new Date(start.getTime() + 1_000), 'the event starts');
  say('the event has started');

  client.beginStep('feedback');
  const attendees = [...invitedMembers, ...confirmedWalkIns.slice(1), next];
  const ratings = [5, 4, 5, 3, 4, 5];
  const comments = ['Loved it.', 'Good talks, small room.', 'Will come again.', 'Started late.', 'Nice people.'];
  for (const [n, member] of attendees.entries()) {
    const body = { rating: ratings[n % ratings.length], comment: comments[n % comments.length] };
    // Feedback opens at the start by the services' clocks, which may be a moment behind this one.
    await pollFor(
      `${member.name}'s feedback`,
      async () => {
        const answer = await client.request('POST', `/api/events/${event.id}/feedback`, body, member.token);
        if (answer.status === 201) return answer;
        if (answer.body.code === 'FEEDBACK_NOT_OPEN') return undefined;
        throw new StepFailed(`POST /api/events/${event.id}/feedback as ${member.name}: ${problemText(answer)}`);
      },
      { timeoutMs: 15_000 },
    );
  }
  say(`${namesOf(attendees)} left feedback`);

  client.beginStep('summary');
  const feedback = await pollFor('the feedback summary', async () => {
    const summary = await client.expect(200, 'GET', `/api/events/${event.id}/feedback/summary`);
    return summary.count === attendees.length ? summary : undefined;
  });
  const finalEvent = await client.expect(200, 'GET', `/api/events/${event.id}`, undefined, host.token);
  const stats = await client.expect(200, 'GET', `/api/events/${event.id}/invitations/stats`, undefined, host.token);
  const waitingList = await client.expect(
    200,
    'GET',
    `/api/events/${event.id}/participants?status=waitlisted`,
    undefined,
    host.token,
  );
  const everyone: Person[] = [cast.host, ...cast.guests, cast.decliner, ...cast.invitedMembers, ...cast.walkIns];
  return {
    event: finalEvent,
    stats,
    feedback,
    waiting: (waitingList.results as Json[]).map((p) => String(p.name ?? p.user)),
    promoted,
    cancelled: leaving.name,
    guestsAnswered,
    addresses: new Set(everyone.map((p) => p.email)),
  };
}

async function signUp(client: GatewayClient, person: Person): Promise<Member> {
  await client.expect(201, 'POST', '/api/auth/register', {
    username: person.username,
    email: person.email,
    password: person.password,
    password2: person.password,
    first_name: person.name,
    last_name: 'Demo',
  });
  const session = await client.expect(200, 'POST', '/api/auth/login', {
    username: person.username,
    password: person.password,
  });
  return { ...person, id: session.user.id, token: session.access };
}

/** The token of the invitation link in the newest email to this person (the notifier sends it asynchronously). */
async function invitationTokenFor(mail: MailReader, person: Person): Promise<string> {
  const hint = 'is the notifier sending? ./convene dlq:list shows the messages it refused';
  return pollFor(
    `the invitation email to ${person.email} in ${mail.kind}`,
    async () => {
      for (const caught of await mail.mailTo(new Set([person.email]))) {
        const link = /\/invite\/([A-Za-z0-9_-]+)/.exec(await caught.text());
        if (link) return link[1];
      }
      return undefined;
    },
    { hint },
  );
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${count} ${value}`).join(', ');
}

function clock(at: Date): string {
  return `${at.toISOString().slice(11, 19)} UTC`;
}
