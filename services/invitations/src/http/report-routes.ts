import { Readable } from 'node:stream';
import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  routeWithAliases,
  signedIn,
} from '@convene/kit';
import { exportInvitationsAsCsv } from '../flows/export-invitations-as-csv.ts';
import { invitationStats } from '../flows/invitation-stats.ts';
import { listInvitationsOfEvent } from '../flows/list-invitations-of-event.ts';
import { actorOf, type HttpDeps } from './deps.ts';
import { InvitationOut, json, page, StatsOut, StatusQuery } from './schemas.ts';
import { invitationView } from './views.ts';

const tags = ['invitations'];
const InvitationPage = page(InvitationOut, 'InvitationPage');

/**
 * Hosts and co-hosts read an event's invitations: stats, CSV export, the list. Mounted before the
 * one-invitation routes, so /stats and .csv are not taken for an invitation id.
 */
export function reportRoutes({ flows }: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/invitations/stats',
      operationId: 'invitationStats',
      tags,
      security: signedIn,
      summary: 'Counts by status and the acceptance rate (the attendee-invitation API’s fields)',
      request: { params: IdParam },
      responses: { 200: json(StatsOut, 'The stats.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await invitationStats(flows, c.req.valid('param').id, actorOf(c)), 200),
  );

  app.get('/api/events/:id/invitations.csv', async (c) => {
    const eventId = c.req.param('id');
    const csv = await exportInvitationsAsCsv(flows, eventId, actorOf(c));
    return new Response(Readable.toWeb(csv) as ReadableStream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="invitations-${eventId.replace(/[^A-Za-z0-9_-]/g, '')}.csv"`,
      },
    });
  });

  routeWithAliases(
    app,
    createRoute({
      method: 'get',
      path: '/api/events/{id}/invitations',
      operationId: 'listInvitations',
      tags,
      security: signedIn,
      summary: "An event's invitations, newest first (host, co-host); ?status=",
      request: { params: IdParam, query: StatusQuery },
      responses: { 200: json(InvitationPage, 'A page of invitations.'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const params = pageParams(c);
      const found = await listInvitationsOfEvent(flows, {
        eventId: c.req.valid('param').id,
        actor: actorOf(c),
        status: c.req.valid('query').status,
        skip: params.skip,
        limit: params.limit,
      });
      const now = flows.now();
      return c.json(
        pageOf(c, { count: found.count, results: found.results.map((inv) => invitationView(inv, now)) }, params),
        200,
      );
    },
    [{ path: '/api/trees/{id}/invites', origin: 'the legacy /api/invites API, which names events trees' }],
  );

  return app;
}
