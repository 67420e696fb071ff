import {
  type AppEnv,
  createRoute,
  createRouter,
  json,
  jsonBody,
  type OpenAPIHono,
  problemResponses,
  requireUser,
  signedIn,
  z,
} from '@convene/kit';
import { changePreferences, preferencesOf, unsubscribeByLink } from '../flows/choose-what-to-receive.ts';
import type { HttpDeps } from './deps.ts';
import { PreferencesBody, PreferencesOut } from './schemas.ts';

const tags = ['notifications'];
const TokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(1000)
    .openapi({ param: { name: 'token', in: 'path' } }),
});
const Unsubscribed = z.object({ email: z.string(), category: z.string(), unsubscribed: z.literal(true) });

/** Which emails a person gets: settings for signed-in users, the one-click link for everyone. */
export function preferencesRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notifications/preferences',
      operationId: 'getNotificationPreferences',
      tags,
      security: signedIn,
      summary: 'The kinds of email I opted out of',
      responses: { 200: json(PreferencesOut, 'My settings.'), ...problemResponses(401) },
    }),
    async (c) => c.json(await preferencesOf(deps.flows, requireUser(c).id), 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/notifications/preferences',
      operationId: 'setNotificationPreferences',
      tags,
      security: signedIn,
      summary: 'Choose the kinds of email I do not want (security mail is always sent)',
      request: { body: jsonBody(PreferencesBody) },
      responses: { 200: json(PreferencesOut, 'My settings.'), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await changePreferences(deps.flows, user.id, c.req.valid('json').opted_out), 200);
    },
  );
  // RFC 8058 one-click: mail clients POST; a person clicking the footer link GETs.
  for (const method of ['get', 'post'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/notifications/unsubscribe/{token}',
        operationId: method === 'get' ? 'unsubscribeByLink' : 'unsubscribeOneClick',
        tags,
        summary: 'Stop one kind of email for the address the link was sent to (no sign-in)',
        request: { params: TokenParam },
        responses: { 200: json(Unsubscribed, 'Unsubscribed.'), ...problemResponses(400) },
      }),
      async (c) => {
        const read = await unsubscribeByLink(deps.flows, deps.unsubscribeSecret, c.req.valid('param').token);
        return c.json({ ...read, unsubscribed: true as const }, 200);
      },
    );
  }
  return app;
}
