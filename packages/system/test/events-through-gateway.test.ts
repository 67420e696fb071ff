import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { Api, eventBody, type Json, type Reply, signUp, systemTest } from '../src/index.ts';

// Every route of the events API, sent to the events service directly and through the gateway:
// both must answer with the same status and the same body. Two identical worlds (a host, a guest
// and an event each) take the two paths, so a write through one path never changes what the
// other sees; their ids, names and titles are replaced by placeholders before the answers are
// compared. The routes come from events' own OpenAPI document: a route added there without a
// step here fails the test. (This is the gateway coverage events' own suites used to get by
// running every HTTP test through an in-process gateway.)

const it = systemTest({ services: ['auth', 'events'], env: { events: { JOBS_ENABLED: 'false' } } });

type Who = 'host' | 'guest' | 'anonymous';

interface World {
  label: 'direct' | 'gateway';
  api: Api;
  host: { token: string; id: string; username: string; email: string };
  guest: { token: string; id: string; username: string; email: string };
  title: string;
  eventId: string;
  /** Filled in by the steps: the guest's registration, the event made by POST /api/events. */
  registrationId?: string;
  postedId?: string;
  /** Every world-specific string, longest first, and the placeholder it becomes. */
  placeholders(): Array<[string, string]>;
}

interface Step {
  /** `METHOD /path/{param}` exactly as in the OpenAPI document. */
  route: string;
  who: Who;
  /** The path sent (params filled in from the world), with a query when the route lists by it. */
  path(w: World): string;
  body?(w: World): unknown;
  /** Keeps what a world needs later from its own answer. */
  learn?(w: World, reply: Reply): void;
}

const HOUR = 3_600_000;
const search = (w: World) => `?search=${encodeURIComponent(w.title)}`;

/** In the order a person would meet them: reads, writes, the registration's life, deletion. */
const STEPS: Step[] = [
  { route: 'GET /api/events', who: 'anonymous', path: (w) => `/api/events${search(w)}` },
  { route: 'GET /api/events/upcoming', who: 'anonymous', path: (w) => `/api/events/upcoming${search(w)}` },
  { route: 'GET /api/events/mine', who: 'host', path: (w) => `/api/events/mine${search(w)}` },
  { route: 'GET /api/events/my_events', who: 'host', path: (w) => `/api/events/my_events${search(w)}` },
  {
    route: 'POST /api/events',
    who: 'host',
    path: () => '/api/events',
    body: (w) => bodyOf(`${w.title} (second)`, 1),
    learn: (w, reply) => {
      w.postedId = reply.body.id;
    },
  },
  { route: 'GET /api/events/{id}', who: 'anonymous', path: (w) => `/api/events/${w.eventId}` },
  {
    route: 'GET /api/events/{id}/calendar.ics',
    who: 'anonymous',
    path: (w) => `/api/events/${w.eventId}/calendar.ics`,
  },
  {
    route: 'PUT /api/events/{id}',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}`,
    body: (w) => ({ ...bodyOf(w.title), description: 'Put through both paths.' }),
  },
  {
    route: 'PATCH /api/events/{id}',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}`,
    body: () => ({ location: 'Room 2' }),
  },
  {
    route: 'POST /api/events/{id}/register',
    who: 'guest',
    path: (w) => `/api/events/${w.eventId}/register`,
    body: () => ({}),
    learn: (w, reply) => {
      w.registrationId = reply.body.id;
    },
  },
  { route: 'GET /api/events/{id}/participants', who: 'host', path: (w) => `/api/events/${w.eventId}/participants` },
  { route: 'GET /api/events/{id}/attendees', who: 'host', path: (w) => `/api/events/${w.eventId}/attendees` },
  {
    route: 'GET /api/events/{id}/participants.csv',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}/participants.csv`,
  },
  { route: 'GET /api/my-registrations', who: 'guest', path: () => '/api/my-registrations' },
  { route: 'GET /api/my-registrations/active', who: 'guest', path: () => '/api/my-registrations/active' },
  { route: 'GET /api/my-registrations/past', who: 'guest', path: () => '/api/my-registrations/past' },
  {
    route: 'POST /api/events/{id}/registrations/{reg}/check-in',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}/registrations/${w.registrationId}/check-in`,
  },
  {
    route: 'DELETE /api/events/{id}/registrations/{reg}/check-in',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}/registrations/${w.registrationId}/check-in`,
  },
  // The guest holds a confirmed seat: no offer to accept, no waitlist place to leave.
  { route: 'POST /api/events/{id}/offer/accept', who: 'guest', path: (w) => `/api/events/${w.eventId}/offer/accept` },
  { route: 'DELETE /api/events/{id}/waitlist', who: 'guest', path: (w) => `/api/events/${w.eventId}/waitlist` },
  { route: 'POST /api/events/{id}/unregister', who: 'guest', path: (w) => `/api/events/${w.eventId}/unregister` },
  // A second cancellation: nothing left to cancel.
  { route: 'DELETE /api/events/{id}/unregister', who: 'guest', path: (w) => `/api/events/${w.eventId}/unregister` },
  // The guest is no cohost of the event.
  {
    route: 'DELETE /api/events/{id}/cohosts/{cohost}',
    who: 'host',
    path: (w) => `/api/events/${w.eventId}/cohosts/${w.guest.id}`,
  },
  { route: 'DELETE /api/events/{id}', who: 'host', path: (w) => `/api/events/${w.postedId}` },
];

/** One start time for both worlds, so their events are the same but for title and id. */
const START = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
function bodyOf(title: string, laterHours = 0) {
  const start = START.getTime() + laterHours * HOUR;
  return eventBody({
    title,
    start_time: new Date(start).toISOString(),
    end_time: new Date(start + 2 * HOUR).toISOString(),
    max_participants: 5,
  });
}

async function person(api: Api) {
  const { token, id, person } = await signUp(api);
  return { token, id, username: person.username, email: person.email };
}

async function world(label: World['label'], api: Api, gatewayApi: Api, tag: string): Promise<World> {
  // Signed up and the event created through the gateway for both: only the steps take two paths.
  const host = await person(gatewayApi);
  const guest = await person(gatewayApi);
  const title = `Twin ${label} ${tag}`;
  const created = await gatewayApi.post('/api/events', bodyOf(title), { token: host.token });
  expect(created.status, created.text).toBe(201);
  const w: World = {
    label,
    api,
    host,
    guest,
    title,
    eventId: created.body.id,
    placeholders() {
      const pairs: Array<[string | undefined, string]> = [
        [w.eventId, '<event>'],
        [w.postedId, '<posted event>'],
        [w.registrationId, '<registration>'],
        [w.title, '<title>'],
        [w.host.id, '<host>'],
        [w.host.username, '<host username>'],
        [w.host.email, '<host email>'],
        [w.guest.id, '<guest>'],
        [w.guest.username, '<guest username>'],
        [w.guest.email, '<guest email>'],
      ];
      return pairs.filter((pair): pair is [string, string] => Boolean(pair[0])).sort(([a], [b]) => b.length - a.length);
    },
  };
  return w;
}

/** The answer's body with the world's own strings replaced by placeholders. */
function neutral(w: World, reply: Reply): string {
  let text = reply.text;
  for (const [value, placeholder] of w.placeholders()) text = text.split(value).join(placeholder);
  return text;
}

function tokenOf(w: World, who: Who): string | undefined {
  return who === 'anonymous' ? undefined : w[who].token;
}

describe('the events API through the gateway', () => {
  it('answers every route of its OpenAPI document as the service itself does', async ({ stack, clock }) => {
    // Times the service writes (created, registered, checked in) are the same on both paths.
    clock.freeze();
    const eventsUrl = stack.services.events!.url;
    const doc = (await (await fetch(`${eventsUrl}/openapi.json`)).json()) as { paths: Record<string, Json> };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(20);
    // Every documented route has a step, and every step a documented route.
    expect([...new Set(STEPS.map((s) => s.route))].sort()).toEqual([...documented].sort());

    const tag = randomUUID().slice(0, 8);
    const direct = await world('direct', new Api(eventsUrl), stack.api, tag);
    const gateway = await world('gateway', stack.api, stack.api, tag);

    const statuses: number[] = [];
    for (const step of STEPS) {
      const requestId = `twin-${randomUUID()}`;
      const [a, b] = [direct, gateway].map((w) =>
        w.api.request(step.route.split(' ')[0]!, step.path(w), step.body?.(w), {
          token: tokenOf(w, step.who),
          headers: { 'x-request-id': requestId },
        }),
      );
      const [fromService, fromGateway] = [await a!, await b!];
      step.learn?.(direct, fromService);
      step.learn?.(gateway, fromGateway);
      const context = `${step.route}\n direct: ${fromService.text}\n gateway: ${fromGateway.text}`;
      expect(fromGateway.status, context).toBe(fromService.status);
      expect(fromService.status, context).toBeLessThan(500);
      expect(fromGateway.headers.get('content-type'), context).toBe(fromService.headers.get('content-type'));
      expect(neutral(gateway, fromGateway), context).toBe(neutral(direct, fromService));
      statuses.push(fromService.status);
    }
    // The steps reach the routes' real answers, not only refusals.
    for (const status of [200, 201, 204]) expect(statuses).toContain(status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(12);

    // And an event that does not exist is a 404 on both paths, with the same problem.
    const requestId = `twin-${randomUUID()}`;
    const missing = `/api/events/${'0'.repeat(24)}`;
    const [notFound, notFoundThere] = await Promise.all(
      [new Api(eventsUrl), stack.api].map((api) => api.get(missing, { headers: { 'x-request-id': requestId } })),
    );
    expect(notFound!.status).toBe(404);
    expect(notFoundThere!.status).toBe(404);
    expect(notFoundThere!.body).toEqual(notFound!.body);
  });
});
