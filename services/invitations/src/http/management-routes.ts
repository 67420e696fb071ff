import { Readable } from 'node:stream';
import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  jsonBody,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  routeWithAliases,
  signedIn,
  validationError,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { roleFrom, statusFilterFrom } from '../domain/invitation-rules.ts';
import { notPending } from '../errors.ts';
import { cancelInvitation } from '../flows/cancel-invitation.ts';
import { exportInvitationsAsCsv } from '../flows/export-invitations-as-csv.ts';
import { findInvitationToManage } from '../flows/find-invitation-to-manage.ts';
import { findManagedEvent } from '../flows/find-managed-event.ts';
import { importInvitationsFromCsv } from '../flows/import-invitations-from-csv.ts';
import { invitationStats } from '../flows/invitation-stats.ts';
import { resendInvitation } from '../flows/resend-invitation.ts';
import { sendInvitations } from '../flows/send-invitations.ts';
import { listForEvent } from '../store/invitation-queries.ts';
import { actorOf, causesOf, type HttpDeps } from './deps.ts';
import {
  ImportOut,
  InvitationOut,
  InvitationParams,
  json,
  PatchBody,
  page,
  SendBody,
  SendOut,
  StatsOut,
  StatusQuery,
  TokenParam,
} from './schemas.ts';
import { sendInputFrom, singleSkipError } from './send-input.ts';
import { invitationView } from './views.ts';

const tags = ['invitations'];
const InvitationPage = page(InvitationOut, 'InvitationPage');

/** Hosts and co-hosts: send, list, read, edit, resend, cancel, stats, CSV export and import. */
export function managementRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const send = async (c: Context, eventId: string, body: SendBody) => {
    const input = sendInputFrom(body, deps.policy.ttlMs);
    const result = await sendInvitations(
      deps,
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

  // ── send ────────────────────────────────────────────────────────────────────────────────────
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
      const now = deps.now();
      return c.json({ created: result.created.map((inv) => invitationView(inv, now)), skipped: result.skipped }, 201);
    },
  );

  // Seed 004 (`invitee`) and seed 001 (`tree_id`) answer with the one invitation created.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/invite',
      operationId: 'inviteOne',
      deprecated: true,
      tags,
      security: signedIn,
      summary: 'Alias of POST /api/events/{id}/invitations (seed 004): one invitee, answers with the invitation',
      request: { params: IdParam, body: jsonBody(SendBody) },
      responses: { 201: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { result } = await send(c, c.req.valid('param').id, c.req.valid('json'));
      return c.json(invitationView(result.created[0]!, deps.now()), 201);
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
      summary: 'Alias of POST /api/events/{id}/invitations (seed 001): `tree_id` names the event',
      request: { body: jsonBody(SendBody) },
      responses: { 201: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const eventId = body.tree_id ?? body.event;
      if (!eventId) throw validationError({ tree_id: ['This field is required.'] });
      const { result } = await send(c, eventId, body);
      return c.json(invitationView(result.created[0]!, deps.now()), 201);
    },
  );

  // ── stats, csv (static paths before /{inv}) ────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/invitations/stats',
      operationId: 'invitationStats',
      tags,
      security: signedIn,
      summary: "Counts by status and the acceptance rate (seed 000's fields)",
      request: { params: IdParam },
      responses: { 200: json(StatsOut, 'The stats.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await invitationStats(deps, c.req.valid('param').id, actorOf(c)), 200),
  );

  app.get('/api/events/:id/invitations.csv', async (c) => {
    const eventId = c.req.param('id');
    const csv = await exportInvitationsAsCsv(deps, eventId, actorOf(c));
    return new Response(Readable.toWeb(csv) as ReadableStream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="invitations-${eventId.replace(/[^A-Za-z0-9_-]/g, '')}.csv"`,
      },
    });
  });

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
          role: z.string().optional(),
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
        deps,
        {
          eventId: c.req.valid('param').id,
          actor: actorOf(c),
          csv: Readable.fromWeb(body as import('node:stream/web').ReadableStream),
          message: query.message ?? '',
          role,
          is_vip: query.is_vip === 'true',
          bypass_capacity: query.bypass_capacity === 'true',
          expires_in_ms: deps.policy.ttlMs,
        },
        causesOf(c),
      );
      return c.json(report, 200);
    },
  );

  // ── list ────────────────────────────────────────────────────────────────────────────────────
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
      const eventId = c.req.valid('param').id;
      await findManagedEvent(deps, eventId, actorOf(c));
      const { status: statusText } = c.req.valid('query');
      const status = statusText ? statusFilterFrom(statusText) : undefined;
      if (statusText && !status) throw validationError({ status: [`"${statusText}" is not a valid status.`] });
      const params = pageParams(c);
      const found = await listForEvent(deps.store, eventId, {
        ...(status ? { status } : {}),
        skip: params.skip,
        limit: params.limit,
      });
      const now = deps.now();
      return c.json(
        pageOf(c, { count: found.count, results: found.results.map((inv) => invitationView(inv, now)) }, params),
        200,
      );
    },
    [{ path: '/api/trees/{id}/invites', origin: 'seed 001' }],
  );

  // ── one invitation ──────────────────────────────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/invitations/{inv}',
      operationId: 'getInvitation',
      tags,
      security: signedIn,
      summary: 'One invitation (host, co-host)',
      request: { params: InvitationParams },
      responses: { 200: json(InvitationOut, 'The invitation.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, inv } = c.req.valid('param');
      const found = await findInvitationToManage(deps, { ref: inv, eventId: id, actor: actorOf(c) });
      return c.json(invitationView(found.inv, deps.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/events/{id}/invitations/{inv}',
      operationId: 'updateInvitation',
      tags,
      security: signedIn,
      summary: "Edit a pending invitation's name, message, role or VIP flags (host, co-host)",
      request: {
        params: InvitationParams,
        body: jsonBody(PatchBody),
      },
      responses: { 200: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, inv: ref } = c.req.valid('param');
      const body = c.req.valid('json');
      const { inv } = await findInvitationToManage(deps, { ref, eventId: id, actor: actorOf(c) });
      const role = body.role === undefined ? undefined : roleFrom(body.role);
      if (body.role !== undefined && !role) throw validationError({ role: [`"${body.role}" is not a valid choice.`] });
      const now = deps.now();
      const set = {
        ...(body.full_name !== undefined ? { full_name: body.full_name.trim() } : {}),
        ...(body.message !== undefined ? { message: body.message } : {}),
        ...(role ? { role } : {}),
        ...(body.is_vip !== undefined ? { is_vip: body.is_vip } : {}),
        ...(body.bypass_capacity !== undefined ? { bypass_capacity: body.bypass_capacity } : {}),
        updated_at: now,
      };
      const done = await deps.store.invitations.updateOne({ _id: inv._id, status: 'pending' }, { $set: set });
      if (done.modifiedCount !== 1) throw notPending(inv.status);
      return c.json(invitationView({ ...inv, ...set }, now), 200);
    },
  );

  const cancel = createRoute({
    method: 'delete',
    path: '/api/events/{id}/invitations/{inv}',
    operationId: 'cancelInvitation',
    tags,
    security: signedIn,
    summary: 'Cancel a pending invitation (host, co-host): its link stops working',
    request: { params: InvitationParams },
    responses: { 204: { description: 'Cancelled.' }, ...problemResponses(400, 401, 403, 404) },
  });
  app.openapi(cancel, async (c) => {
    const { id, inv } = c.req.valid('param');
    await cancelInvitation(deps, { ref: inv, eventId: id, actor: actorOf(c) }, causesOf(c));
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({
      ...cancel,
      path: '/api/invites/{token}',
      operationId: 'cancelInvitationAlias1',
      deprecated: true,
      summary: 'Alias of DELETE /api/events/{id}/invitations/{inv} (seed 001): the invitation id or its token',
      request: { params: TokenParam },
    }),
    async (c) => {
      await cancelInvitation(deps, { ref: c.req.valid('param').token, actor: actorOf(c) }, causesOf(c));
      return c.body(null, 204);
    },
  );

  const resend = createRoute({
    method: 'post',
    path: '/api/events/{id}/invitations/{inv}/resend',
    operationId: 'resendInvitation',
    tags,
    security: signedIn,
    summary: 'Send a fresh link (the old one stops working); at most MAX_RESENDS times, then 429',
    request: { params: InvitationParams },
    responses: { 200: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 429) },
  });
  app.openapi(resend, async (c) => {
    const { id, inv } = c.req.valid('param');
    const resent = await resendInvitation(deps, { ref: inv, eventId: id, actor: actorOf(c) }, causesOf(c));
    return c.json(invitationView(resent, deps.now()), 200);
  });
  app.openapi(
    createRoute({
      ...resend,
      path: '/api/invites/{token}/resend',
      operationId: 'resendInvitationAlias1',
      deprecated: true,
      summary: 'Alias of POST /api/events/{id}/invitations/{inv}/resend (seed 001): the invitation id or its token',
      request: { params: TokenParam },
    }),
    async (c) => {
      const resent = await resendInvitation(deps, { ref: c.req.valid('param').token, actor: actorOf(c) }, causesOf(c));
      return c.json(invitationView(resent, deps.now()), 200);
    },
  );

  return app;
}
