import {
  type AppEnv,
  createRoute,
  createRouter,
  type OpenAPIHono,
  problemResponses,
  requireUser,
  routeWithAliases,
  signedIn as security,
} from '@convene/kit';
import { changePassword } from '../flows/change-password.ts';
import { readOwnProfile } from '../flows/read-own-profile.ts';
import { updateProfile } from '../flows/update-profile.ts';
import { type HttpDeps, sessionIdOf } from './deps.ts';
import { ChangePasswordBody, Detail, json, jsonBody, ProfilePatch, ProfilePut, UserOut } from './schemas.ts';
import { userView } from './views.ts';

const tags = ['profile'];
/** The legacy events API's answer to a password change, word for word. */
const PASSWORD_CHANGED = 'Password updated successfully';

export function profileRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const middleware = [deps.signedIn];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/auth/profile',
      operationId: 'getProfile',
      tags,
      security,
      middleware,
      summary: 'The signed-in account',
      responses: { 200: json(UserOut, 'The account.'), ...problemResponses(401) },
    }),
    async (c) => {
      return c.json(userView(await readOwnProfile(deps.flows, requireUser(c).id)), 200);
    },
  );

  routeWithAliases(
    app,
    createRoute({
      method: 'put',
      path: '/api/auth/profile',
      operationId: 'replaceProfile',
      tags,
      security,
      middleware,
      summary: 'Update the profile (username and email required)',
      request: { body: jsonBody(ProfilePut) },
      responses: { 200: json(UserOut, 'The updated account.'), ...problemResponses(400, 401) },
    }),
    async (c) => c.json(userView(await updateProfile(deps.flows, requireUser(c).id, c.req.valid('json'))), 200),
    [{ path: '/api/auth/profile/update', origin: 'legacy events API' }],
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/auth/profile',
      operationId: 'patchProfile',
      tags,
      security,
      middleware,
      summary: 'Change some profile fields',
      request: { body: jsonBody(ProfilePatch) },
      responses: { 200: json(UserOut, 'The updated account.'), ...problemResponses(400, 401) },
    }),
    async (c) => c.json(userView(await updateProfile(deps.flows, requireUser(c).id, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/change-password',
      operationId: 'changePassword',
      tags,
      security,
      middleware,
      summary: "Change the password; the account's other sessions are signed out",
      request: { body: jsonBody(ChangePasswordBody) },
      responses: { 200: json(Detail, 'Changed.'), ...problemResponses(400, 401) },
    }),
    async (c) => {
      await changePassword(deps.flows, requireUser(c).id, sessionIdOf(c), c.req.valid('json'));
      return c.json({ detail: PASSWORD_CHANGED }, 200);
    },
  );

  return app;
}
