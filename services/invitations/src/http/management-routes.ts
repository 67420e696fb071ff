import {
  type AppEnv,
  createRoute,
  createRouter,
  jsonBody,
  type OpenAPIHono,
  problemResponses,
  signedIn,
} from '@convene/kit';
import { cancelInvitation } from '../flows/cancel-invitation.ts';
import { editInvitation } from '../flows/edit-invitation.ts';
import { findInvitationToManage } from '../flows/find-invitation-to-manage.ts';
import { resendInvitation } from '../flows/resend-invitation.ts';
import { actorOf, causesOf, type HttpDeps } from './deps.ts';
import { InvitationOut, InvitationParams, json, PatchBody, ResendBody, TokenParam } from './schemas.ts';
import { invitationView } from './views.ts';

const tags = ['invitations'];

/** A body-less resend keeps the link, as does `{}`; only an explicit `{"rotate": true}` replaces it. */
const rotateAsked = (body: ResendBody | undefined) => body?.rotate === true;

/**
 * Hosts and co-hosts manage one invitation: read, edit, cancel, resend — by id under its event, or
 * by id or token under /api/invites/{token} (the legacy /api/invites API's compatibility aliases).
 */
export function managementRoutes({ flows }: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

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
      const found = await findInvitationToManage(flows, { ref: inv, eventId: id, actor: actorOf(c) });
      return c.json(invitationView(found.inv, flows.now()), 200);
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
      const edited = await editInvitation(flows, { ref, eventId: id, actor: actorOf(c), changes: c.req.valid('json') });
      return c.json(invitationView(edited, flows.now()), 200);
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
    await cancelInvitation(flows, { ref: inv, eventId: id, actor: actorOf(c) }, causesOf(c));
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({
      ...cancel,
      path: '/api/invites/{token}',
      operationId: 'cancelInvitationAlias1',
      deprecated: true,
      summary:
        'Alias of DELETE /api/events/{id}/invitations/{inv} (the legacy /api/invites API): the invitation id or its token',
      request: { params: TokenParam },
    }),
    async (c) => {
      await cancelInvitation(flows, { ref: c.req.valid('param').token, actor: actorOf(c) }, causesOf(c));
      return c.body(null, 204);
    },
  );

  const resend = createRoute({
    method: 'post',
    path: '/api/events/{id}/invitations/{inv}/resend',
    operationId: 'resendInvitation',
    tags,
    security: signedIn,
    summary:
      'Send the invitation again with the same link; {"rotate": true} replaces the link (the old one stops working). At most MAX_RESENDS times, then 429',
    request: { params: InvitationParams, body: { ...jsonBody(ResendBody), required: false } },
    responses: { 200: json(InvitationOut, 'The invitation.'), ...problemResponses(400, 401, 403, 404, 429) },
  });
  app.openapi(resend, async (c) => {
    const { id, inv } = c.req.valid('param');
    const rotate = rotateAsked(c.req.valid('json'));
    const resent = await resendInvitation(flows, { ref: inv, eventId: id, actor: actorOf(c), rotate }, causesOf(c));
    return c.json(invitationView(resent, flows.now()), 200);
  });
  app.openapi(
    createRoute({
      ...resend,
      path: '/api/invites/{token}/resend',
      operationId: 'resendInvitationAlias1',
      deprecated: true,
      summary:
        'Alias of POST /api/events/{id}/invitations/{inv}/resend (the legacy /api/invites API): the invitation id or its token, which stays valid unless {"rotate": true}',
      request: { params: TokenParam, body: { ...jsonBody(ResendBody), required: false } },
    }),
    async (c) => {
      const rotate = rotateAsked(c.req.valid('json'));
      const resent = await resendInvitation(
        flows,
        { ref: c.req.valid('param').token, actor: actorOf(c), rotate },
        causesOf(c),
      );
      return c.json(invitationView(resent, flows.now()), 200);
    },
  );

  return app;
}
