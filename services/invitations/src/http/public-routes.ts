import {
  type AppEnv,
  createRoute,
  createRouter,
  jsonBody,
  type OpenAPIHono,
  problemResponses,
  routeWithAliases,
  signedIn,
} from '@convene/kit';
import { acceptInvitationAsGuest } from '../flows/accept-invitation-as-guest.ts';
import { acceptInvitationSignedIn } from '../flows/accept-invitation-signed-in.ts';
import { declineInvitationAsGuest } from '../flows/decline-invitation-as-guest.ts';
import { verifyInvitationLink } from '../flows/verify-invitation-link.ts';
import { actorOf, causesOf, clientOf, type HttpDeps } from './deps.ts';
import { AcceptBody, InvitationOut, json, RejectBody, TokenParam, VerifyOut } from './schemas.ts';
import { invitationView, verifyView } from './views.ts';

const tags = ['invitations (public)'];

/**
 * The link's endpoints, public: verify, accept as a guest, decline. Every unknown token counts
 * against the client (429 after TOKEN_MISSES_PER_WINDOW). The signed-in accept of the legacy
 * /api/invites API is here too: the same token, plus a signed-in user whose email must be the invited one.
 */
export function publicRoutes({ flows }: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  routeWithAliases(
    app,
    createRoute({
      method: 'get',
      path: '/api/attendee-invitations/verify/{token}',
      operationId: 'verifyInvitation',
      tags,
      summary: 'What the link invites to, and whether it can still be accepted',
      request: { params: TokenParam },
      responses: { 200: json(VerifyOut, 'The invitation.'), ...problemResponses(404, 429) },
    }),
    async (c) => {
      const { token } = c.req.valid('param');
      const { inv, event } = await verifyInvitationLink(flows, { token, client: clientOf(c) });
      return c.json(verifyView(token, inv, event, flows.now()), 200);
    },
    [{ path: '/api/invites/{token}', origin: 'the legacy /api/invites API' }],
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/attendee-invitations/accept',
      operationId: 'acceptInvitationAsGuest',
      tags,
      summary: 'Accept with the link’s token (no account needed); the seat is reserved asynchronously',
      request: { body: jsonBody(AcceptBody) },
      responses: { 200: json(InvitationOut, 'The accepted invitation.'), ...problemResponses(400, 404, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const inv = await acceptInvitationAsGuest(flows, { ...body, client: clientOf(c) }, causesOf(c));
      return c.json(invitationView(inv, flows.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/attendee-invitations/reject',
      operationId: 'declineInvitationAsGuest',
      tags,
      summary: 'Decline with the link’s token',
      request: { body: jsonBody(RejectBody) },
      responses: { 200: json(InvitationOut, 'The declined invitation.'), ...problemResponses(400, 404, 429) },
    }),
    async (c) => {
      const inv = await declineInvitationAsGuest(
        flows,
        { token: c.req.valid('json').token, client: clientOf(c) },
        causesOf(c),
      );
      return c.json(invitationView(inv, flows.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/invites/{token}/accept',
      operationId: 'acceptInvitationSignedIn',
      tags,
      security: signedIn,
      summary:
        'Accept as the signed-in user (the legacy /api/invites API); their email must be the invited one (400 otherwise)',
      request: { params: TokenParam },
      responses: { 200: json(InvitationOut, 'The accepted invitation.'), ...problemResponses(400, 401, 404, 429) },
    }),
    async (c) => {
      const actor = actorOf(c);
      const inv = await acceptInvitationSignedIn(
        flows,
        { token: c.req.valid('param').token, actor, client: clientOf(c) },
        causesOf(c),
      );
      return c.json(invitationView(inv, flows.now()), 200);
    },
  );

  return app;
}
