import {
  type AppEnv,
  type AuthUser,
  createRoute,
  createRouter,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  routeWithAliases,
  tooManyRequests,
  validationError,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { calendarFileName, organizerAddress, renderIcs } from '../domain/calendar.ts';
import { viewerKeys } from '../domain/identity.ts';
import { type ListFilter, mergeRange, parseListQuery } from '../domain/list-filter.ts';
import { removeCohost } from '../store/cohosts.ts';
import { createEvent, deleteEvent, updateEvent } from '../store/event-commands.ts';
import { listEvents, listQuery, type Viewer } from '../store/event-queries.ts';
import { eventIdsReachableBy } from '../store/registration-queries.ts';
import { causesOf, eventNotFound, type HttpDeps, managedEvent, readableEvent, roleIn } from './deps.ts';
import { changesFrom } from './event-input.ts';
import { EventBody, EventOut, IdParam, json, ListQuery, page } from './schemas.ts';
import { eventView } from './views.ts';

const tags = ['events'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }, {}];
const EventPage = page(EventOut, 'EventPage');

/** Events: list (filters, search, ordering, pages), upcoming, mine, CRUD, .ics, co-host removal. */
export function eventsRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const filterFrom = (query: Record<string, string | undefined>): ListFilter => {
    const parsed = parseListQuery(query, deps.now());
    if (parsed.errors) throw validationError(parsed.errors);
    return parsed.filter;
  };
  const viewerOf = (user: { id: string; email: string } | undefined): Viewer | undefined =>
    user ? { id: user.id, keys: viewerKeys(user) } : undefined;
  /** For lists of everything readable: also the invite-only events the user takes part in or is invited to. */
  const readerOf = async (user: { id: string; email: string } | undefined): Promise<Viewer | undefined> =>
    user ? { id: user.id, keys: viewerKeys(user), reachable: await eventIdsReachableBy(deps.store, user) } : undefined;
  const answerPage = async (c: Context, shape: ReturnType<typeof listQuery>) => {
    const params = pageParams(c);
    const found = await listEvents(deps.store, shape, params);
    const now = deps.now();
    const user = c.get('user') as AuthUser | undefined;
    const results = found.results.map((e) => eventView(e, now, { withEmails: roleIn(e, user) !== null }));
    return pageOf(c, { count: found.count, results }, params);
  };

  // Static paths before /{id}.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/upcoming',
      operationId: 'listUpcomingEvents',
      tags,
      security,
      summary: 'Active events that have not started, soonest first (takes the list filters too)',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const filter = filterFrom(c.req.query());
      filter.isActive = true;
      filter.start = mergeRange(filter.start, { gt: deps.now() });
      if (!c.req.query('ordering')) filter.ordering = { field: 'start_time', direction: 1 };
      return c.json(await answerPage(c, listQuery(filter, { viewer: await readerOf(c.get('user')) })), 200);
    },
  );

  routeWithAliases(
    app,
    createRoute({
      method: 'get',
      path: '/api/events/mine',
      operationId: 'listMyEvents',
      tags,
      security: security.slice(0, 2),
      summary: 'Events the signed-in user hosts or co-hosts',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const filter = filterFrom(c.req.query());
      return c.json(await answerPage(c, listQuery(filter, { viewer: viewerOf(user), only: 'mine' })), 200);
    },
    [{ path: '/api/events/my_events', origin: 'seed 003' }],
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      operationId: 'listEvents',
      tags,
      security,
      summary:
        'Public events and, signed in, the invite-only ones you host, attend or are invited to; filtered, searched, ordered, paginated',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 404) },
    }),
    async (c) => {
      const filter = filterFrom(c.req.query());
      return c.json(await answerPage(c, listQuery(filter, { viewer: await readerOf(c.get('user')) })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events',
      operationId: 'createEvent',
      tags,
      security: security.slice(0, 2),
      summary: `Create an event (the caller hosts it); at most ${deps.quota.limit} per user in any rolling window`,
      request: { body: { required: true, content: { 'application/json': { schema: EventBody } } } },
      responses: { 201: json(EventOut, 'The new event.'), ...problemResponses(400, 401, 429) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { changes, errors } = changesFrom(c.req.valid('json'));
      if (Object.keys(errors).length) throw validationError(errors);
      const created = await createEvent(
        deps.store,
        { id: user.id, name: user.name || user.username, email: user.email },
        changes,
        { quota: deps.quota, defaultDurationMs: deps.defaultDurationMs, causes: causesOf(c), now: deps.now() },
      );
      if (!created.ok && 'errors' in created) throw validationError(created.errors);
      if (!created.ok) {
        throw tooManyRequests(
          created.retryAfterSec,
          `You can create at most ${deps.quota.limit} events per ${Math.round(deps.quota.windowMs / 3_600_000)} hours. Expected available in ${created.retryAfterSec} seconds.`,
          'EVENT_QUOTA_EXCEEDED',
        );
      }
      deps.nudge();
      return c.json(eventView(created.event, deps.now(), { withEmails: true }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}',
      operationId: 'getEvent',
      tags,
      security,
      summary: 'One event (invite-only: host, co-hosts, participants and invitees)',
      request: { params: IdParam },
      responses: { 200: json(EventOut, 'The event.'), ...problemResponses(404) },
    }),
    async (c) => {
      const { event, role } = await readableEvent(c, deps, c.req.valid('param').id);
      return c.json(eventView(event, deps.now(), { withEmails: role !== null }), 200);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/events/{id}',
        operationId: method === 'put' ? 'replaceEvent' : 'patchEvent',
        tags,
        security: security.slice(0, 2),
        summary: method === 'put' ? 'Update every field (host or co-host)' : 'Update some fields (host or co-host)',
        request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: EventBody } } } },
        responses: { 200: json(EventOut, 'The updated event.'), ...problemResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { event } = await managedEvent(c, deps, c.req.valid('param').id);
        const { changes, errors } = changesFrom(c.req.valid('json'));
        if (Object.keys(errors).length) throw validationError(errors);
        const updated = await updateEvent(deps.store, event._id, changes, {
          full: method === 'put',
          causes: causesOf(c),
          now: deps.now(),
        });
        if (!updated.ok && 'gone' in updated) throw eventNotFound();
        if (!updated.ok) throw validationError(updated.errors);
        deps.nudge();
        return c.json(eventView(updated.event, deps.now(), { withEmails: true }), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}',
      operationId: 'deleteEvent',
      tags,
      security: security.slice(0, 2),
      summary: 'Delete an event (host only); participants are told through event.deleted',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { event } = await managedEvent(c, deps, c.req.valid('param').id, { hostOnly: true });
      if (!(await deleteEvent(deps.store, event._id, { causes: causesOf(c), now: deps.now() }))) throw eventNotFound();
      deps.nudge();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/calendar.ics',
      operationId: 'getEventCalendar',
      tags,
      security,
      summary: "The event as an iCalendar file (the host's email only for the host and co-hosts)",
      request: { params: IdParam },
      responses: {
        200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { event, role } = await readableEvent(c, deps, c.req.valid('param').id);
      const ics = renderIcs(
        {
          id: event._id,
          title: event.title,
          description: event.description,
          location: event.location,
          start_time: event.start_time,
          end_time: event.end_time,
          host_name: event.host_name,
          organizer_email: organizerAddress({
            hostEmail: event.host_email,
            contactEmail: deps.calendarContactEmail,
            maySeeEmails: role !== null,
          }),
          is_active: event.is_active,
          updated_at: event.updated_at,
        },
        deps.now(),
      );
      return c.body(ics, 200, {
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="${calendarFileName(event.title)}"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}/cohosts/{cohost}',
      operationId: 'removeCohost',
      tags,
      security: security.slice(0, 2),
      summary: 'Remove a co-host (host only); co-hosts are added by accepted cohost invitations',
      request: {
        params: IdParam.extend({
          cohost: z
            .string()
            .min(1)
            .max(320)
            .openapi({ param: { name: 'cohost', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Removed.' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, cohost } = c.req.valid('param');
      const { event } = await managedEvent(c, deps, id, { hostOnly: true });
      const removed = await removeCohost({ store: deps.store, causes: causesOf(c) }, event._id, cohost);
      if (!removed) throw eventNotFound();
      deps.nudge();
      return c.body(null, 204);
    },
  );

  return app;
}
