import {
  type AppEnv,
  createRoute,
  createRouter,
  type OpenAPIHono,
  problemResponses,
  routeWithAliases,
} from '@convene/kit';
import { registerAccount } from '../flows/register-account.ts';
import { rotateSession } from '../flows/rotate-session.ts';
import { signIn } from '../flows/sign-in.ts';
import { signOut } from '../flows/sign-out.ts';
import { clearAccessCookie, setAccessCookie } from './access-cookie.ts';
import { clientIp } from './client-ip.ts';
import { type HttpDeps, sessionIdIfSignedIn } from './deps.ts';
import {
  Detail,
  json,
  jsonBody,
  LoginBody,
  LoginOut,
  LogoutBody,
  RefreshBody,
  RegisterBody,
  TokenPair,
  UserOut,
} from './schemas.ts';
import { userView } from './views.ts';

const tags = ['auth'];

const registerRoute = createRoute({
  method: 'post',
  path: '/api/auth/register',
  operationId: 'register',
  tags,
  summary: 'Create an account (self-service)',
  request: { body: jsonBody(RegisterBody) },
  responses: { 201: json(UserOut, 'The new account.'), ...problemResponses(400) },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'login',
  tags,
  summary: 'Sign in; also sets the access_token cookie',
  request: { body: jsonBody(LoginBody) },
  responses: { 200: json(LoginOut, 'Tokens and the account.'), ...problemResponses(400, 401, 429) },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/token/refresh',
  operationId: 'refreshToken',
  tags,
  summary: 'Exchange a refresh token for a new pair (the old one stops working)',
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: json(TokenPair, 'A new access and refresh token.'), ...problemResponses(400, 401) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'logout',
  tags,
  summary: 'End the session of the given refresh token (or of the access token) and clear the cookie',
  description:
    'Body (optional): `{"refresh": "<refresh token>"}`. Without it, the session the access token ' +
    '(Authorization header or access_token cookie) came from is ended. Always answers 200.',
  responses: { 200: json(Detail, 'Signed out.') },
});

export function sessionRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  routeWithAliases(
    app,
    registerRoute,
    async (c) => {
      const user = await registerAccount(deps.flows, c.req.valid('json'));
      return c.json(userView(user), 201);
    },
    [{ path: '/api/register', origin: 'legacy participation API' }],
  );

  routeWithAliases(
    app,
    loginRoute,
    async (c) => {
      const body = c.req.valid('json');
      const signedIn = await signIn(deps.flows, {
        identifier: (body.username ?? body.email) as string,
        password: body.password,
        ip: clientIp(c, deps.trustedProxyHops),
      });
      setAccessCookie(c, signedIn.access, signedIn.access_expires_at, deps.cookie, deps.flows.now());
      c.header('Cache-Control', 'no-store');
      return c.json({ access: signedIn.access, refresh: signedIn.refresh, user: userView(signedIn.user) }, 200);
    },
    [{ path: '/api/login', origin: 'legacy participation API' }],
  );

  app.openapi(refreshRoute, async (c) => {
    const session = await rotateSession(deps.flows, c.req.valid('json').refresh);
    setAccessCookie(c, session.access, session.access_expires_at, deps.cookie, deps.flows.now());
    c.header('Cache-Control', 'no-store');
    return c.json({ access: session.access, refresh: session.refresh }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    // An empty body is fine: the access token (header or cookie) names the session.
    const refresh = await refreshFromBody(c.req);
    await signOut(deps.flows, { refresh, sessionId: await sessionIdIfSignedIn(c, deps.verifier) });
    clearAccessCookie(c, deps.cookie);
    return c.json({ detail: 'Successfully logged out.' }, 200);
  });

  return app;
}

/** The optional `{refresh}` of a logout body; anything unreadable counts as absent. */
async function refreshFromBody(request: { text(): Promise<string> }): Promise<string | undefined> {
  try {
    const text = await request.text();
    if (!text.trim()) return undefined;
    const parsed = LogoutBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.refresh : undefined;
  } catch {
    return undefined;
  }
}
