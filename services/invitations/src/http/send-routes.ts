import { Readable } from 'node:stream';
import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  jsonBody,
  type OpenAPIHono,
  problemResponses,
  routeWithAliases,
  signedIn,
  validationError,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { roleFrom } from '../domain/invitation-rules.ts';
import { importInvitationsFromCsv } from '../flows/import-invitations-from-csv.ts';
import { sendInvitations } from '../flows/send-invitations.ts';
import { actorOf, causesOf, type HttpDeps } from './deps.ts';
import { ImportOut, InvitationOut, json, LegacySendBody, RoleInput, SendBody, SendOut } from './schemas.ts';
import { sendInputFrom, singleSkipError } from './send-input.ts';
import { invitationView } from './views.ts';

const tags = ['invitations'];

/** Hosts and co-hosts invite: many at once, one (the compatibility aliases), or a CSV import. */
export function sendRoutes({ flows }: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const send = async (c: Context, eventId: string, body: SendBody) => {
    const input = sendInputFrom(body, flows.policy.ttlMs);
    const result = await sendInvitations(
      flows,
      {
        eventId,
        actor: actorOf(c),
        emails: input.emails,
        userIds: input.userIds,
        ...input.options,
        ...(body.full_name ? { fullName: body.full_name } : {}),
      },
      causesOf(c),
    );
    if (input.single && result.created.length === 0 && result.skipped[0]) throw singleSkipError(result.skipped[0]);
    return { input, result };
  };

  /**
   * The one-invitee aliases answer with one invitation: the first created; when every recipient
   * named was skipped (a body may name an email and a user at once), the first skip as an error.
   */
  const sendOne = async (c: Context, eventId: string, body: SendBody) => {
    const { result } = await send(c, eventId, body);
    const created = result.created[0];
    if (created) return invitationView(created, flows.now());
    throw singleSkipError(result.skipped[0]!);
  };

  routeWithAliases(
    app,
    createRoute({
      method: 'post',
      path: '/api/events/{id}/invitations',
      operationId: 'sendInvitations',
      tags,
      security: signedIn,
      summary: 'Invite emails or registered users (host, co-host); lists what was created and what was skipped',
      request: { params: IdParam, body: jsonBody(SendBody) },
      responses: {
        201: json(SendOut, 'Created and skipped invitations.'),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { result } = await send(c, c.req.valid('param').id, c.req.valid('json'));
      const now = flows.now();
      return c.json({ created: result.created.map((inv) => invitationView(inv, now)), skipped: result.skipped }, 201);
    },
  );

  // The invitee-list API (`invitee`: a user id) and the legacy /api/invites API (`tree_id`: the
  // event) invite one person and answer with that one invitation.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/invite',
      operationId: 'inviteOne',
      deprecated: true,
      tags,
      security: signedIn,
      summary:
        'Alias of POST /api/events/{id}/invitations (the invitee-list API): one invitee, answers with the invitation',
      request: { params: IdParam, body: jsonBody(SendBody) },
      responses: { 201: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      return c.json(await sendOne(c, c.req.valid('param').id, c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/invites',
      operationId: 'inviteOneByTree',
      deprecated: true,
      tags,
      security: signedIn,
      summary: 'Alias of POST /api/events/{id}/invitations (the legacy /api/invites API): `tree_id` names the event',
      request: { body: jsonBody(LegacySendBody) },
      responses: { 201: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const eventId = body.tree_id ?? body.event;
      if (!eventId) throw validationError({ tree_id: ['This field is required.'] });
      return c.json(await sendOne(c, eventId, body), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/invitations/import',
      operationId: 'importInvitations',
      tags,
      security: signedIn,
      summary: 'Import a CSV (email, full_name, role): streamed, every row checked, errors by row, good rows created',
      request: {
        params: IdParam,
        query: z.object({
          message: z.string().optional(),
          is_vip: z.enum(['true', 'false']).optional(),
          bypass_capacity: z.enum(['true', 'false']).optional(),
          role: RoleInput,
        }),
      },
      responses: {
        200: json(ImportOut, 'What was created, skipped and refused.'),
        ...problemResponses(400, 401, 403, 404, 413),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const role = roleFrom(query.role);
      if (!role) throw validationError({ role: [`"${query.role}" is not a valid choice (attendee, cohost).`] });
      const body = c.req.raw.body;
      if (!body) throw validationError({ file: ['Send the CSV as the request body (text/csv).'] });
      const report = await importInvitationsFromCsv(
        flows,
        {
          eventId: c.req.valid('param').id,
          actor: actorOf(c),
          csv: Readable.fromWeb(body as import('node:stream/web').ReadableStream),
          message: query.message ?? '',
          role,
          is_vip: query.is_vip === 'true',
          bypass_capacity: query.bypass_capacity === 'true',
          expires_in_ms: flows.policy.ttlMs,
        },
        causesOf(c),
      );
      return c.json(report, 200);
    },
  );

  return app;
}
