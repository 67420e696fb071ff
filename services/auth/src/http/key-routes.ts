import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  type OpenAPIHono,
  optionalJsonBody,
  problemResponses,
  signedIn,
  z,
} from '@convene/kit';
import { LOCALE_MAX_LENGTH, TIMEZONE_MAX_LENGTH } from '../domain/profile-preferences.ts';
import { snapshotOf } from '../domain/user.ts';
import { findUser } from '../flows/find-user.ts';
import { publishVerificationKeys } from '../flows/publish-verification-keys.ts';
import { rotateSigningKey } from '../flows/rotate-signing-key.ts';
import { currentAdmin, type HttpDeps } from './deps.ts';
import { Jwks, json } from './schemas.ts';

const RotateBody = z
  .strictObject({
    activate_in_sec: z.number().int().min(0).max(86_400).optional().openapi({
      description:
        'Publish the new key now, sign with it from this many seconds on (default SIGNING_KEY_PREPUBLISH_MS).',
    }),
  })
  .openapi('RotateSigningKeyRequest');

const RotateOut = z.object({ kid: z.string(), activates_at: z.string() }).openapi('RotatedSigningKey');

const UserSnapshotOut = z
  .object({
    user_id: z.string(),
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    role: z.string(),
    status: z.string(),
    timezone: z.string().max(TIMEZONE_MAX_LENGTH).nullable(),
    locale: z.string().max(LOCALE_MAX_LENGTH).nullable(),
  })
  .openapi('UserSnapshot');

/** The public key set, and the service-to-service routes the gateway never exposes. */
export function keyRoutes(deps: HttpDeps, { prepublishMs }: { prepublishMs: number }): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      tags: ['keys'],
      summary: 'Public keys that verify access tokens (current, upcoming and recently retired)',
      responses: { 200: json(Jwks, 'The JSON Web Key Set.') },
    }),
    async (c) => {
      // Short enough that a pre-published key reaches caches before it signs anything.
      c.header('Cache-Control', `public, max-age=${Math.min(300, Math.max(0, Math.floor(prepublishMs / 2000)))}`);
      return c.json((await publishVerificationKeys(deps.flows)) as { keys: Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/internal/signing-keys/rotate',
      operationId: 'rotateSigningKey',
      tags: ['internal'],
      security: signedIn,
      middleware: [deps.signedIn],
      summary: 'Add a new signing key (admin); older keys stay published until their tokens expire',
      request: { body: optionalJsonBody(RotateBody) },
      responses: { 201: json(RotateOut, 'The new key.'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      await currentAdmin(c, deps);
      const body = c.req.valid('json');
      const activateInMs = body.activate_in_sec === undefined ? prepublishMs : body.activate_in_sec * 1000;
      const rotated = await rotateSigningKey(deps.flows, { activateInMs });
      return c.json({ kid: rotated.kid, activates_at: rotated.activates_at.toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/internal/users/{id}',
      operationId: 'internalGetUser',
      tags: ['internal'],
      summary: 'An account snapshot for a service whose projection missed it',
      request: { params: IdParam },
      responses: { 200: json(UserSnapshotOut, 'The account.'), ...problemResponses(404) },
    }),
    async (c) => {
      return c.json(snapshotOf(await findUser(deps.flows, c.req.valid('param').id)), 200);
    },
  );

  return app;
}
