import { type AppEnv, createRoute, createRouter, type OpenAPIHono, problemResponses } from '@convene/kit';
import { acceptInvitation } from '../flows/accept-invitation.ts';
import { findInvitationByLink } from '../flows/find-invitation-by-link.ts';
import type { HttpDeps } from './deps.ts';
import { InvitationView, json, jsonBody, SetPasswordBody, SetPasswordOut, TokenParam } from './schemas.ts';
import { userView } from './views.ts';

const tags = ['invitations'];
const gone = { 410: { description: 'The link expired, was used, or was replaced by a newer one.' } };

/** Public: the invitee opens the emailed link (no token of theirs exists yet). */
export function setPasswordRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/auth/set-password/{token}',
      operationId: 'showInvitation',
      tags,
      summary: 'Who the set-password link is for',
      request: { params: TokenParam },
      responses: { 200: json(InvitationView, 'The invitation.'), ...problemResponses(404), ...gone },
    }),
    async (c) => {
      const user = await findInvitationByLink(deps.flows, c.req.valid('param').token);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          username: user.username,
          email: user.email,
          first_name: user.first_name,
          last_name: user.last_name,
          expires_at: (user.invitation?.expires_at ?? new Date(0)).toISOString(),
          is_expired: false,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/set-password/{token}',
      operationId: 'acceptInvitation',
      tags,
      summary: 'Choose a password: the account becomes active and the link is spent',
      request: { params: TokenParam, body: jsonBody(SetPasswordBody) },
      responses: { 200: json(SetPasswordOut, 'Activated.'), ...problemResponses(400, 404, 409), ...gone },
    }),
    async (c) => {
      const user = await acceptInvitation(deps.flows, c.req.valid('param').token, c.req.valid('json'));
      return c.json({ detail: 'Password set successfully. You can now log in.', user: userView(user) }, 200);
    },
  );

  return app;
}
