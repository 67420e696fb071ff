import {
  authenticate,
  createLogger,
  createVerifier,
  ensureIndexes,
  type Job,
  type Logger,
  openService,
  type Verifier,
} from '@convene/kit';
import { decodeJwt } from 'jose';
import { KeyRing } from './credentials/key-ring.ts';
import { passwordHasher } from './credentials/password-hasher.ts';
import type { Env } from './env.ts';
import { AdminSetupError } from './errors.ts';
import type { FlowContext } from './flows/context.ts';
import { createAdmin } from './flows/create-admin.ts';
import type { HttpDeps } from './http/deps.ts';
import { keyRoutes } from './http/key-routes.ts';
import { profileRoutes } from './http/profile-routes.ts';
import { sessionRoutes } from './http/session-routes.ts';
import { setPasswordRoutes } from './http/set-password-routes.ts';
import { userAdminRoutes } from './http/user-admin-routes.ts';
import { rotateSigningKeyJob } from './jobs/rotate-signing-key.ts';
import { sweepExpiredCredentialsJob } from './jobs/sweep-expired-credentials.ts';
import { loginFailureStore } from './store/login-failures.ts';
import { sessionStore } from './store/sessions.ts';
import { signingKeyStore } from './store/signing-keys.ts';
import { userStore } from './store/users.ts';

export interface ServiceOptions {
  logger?: Logger;
  /** Prefix for exchange and queue names; overrides BUS_NAMESPACE. */
  busNamespace?: string;
  /** The service's one clock, passed on to every flow, store call, job and the key ring (tests move it). */
  now?: () => Date;
}

export type AuthService = Awaited<ReturnType<typeof createService>>;

/** Connects the auth database and the bus, loads the signing keys, mounts every route. */
export async function createService(env: Env, opts: ServiceOptions = {}) {
  const logger = opts.logger ?? createLogger({ service: 'auth', level: env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());

  return openService(
    {
      service: 'auth',
      env,
      logger,
      now,
      ...(opts.busNamespace ? { busNamespace: opts.busNamespace } : {}),
    },
    async ({ mongo, app, relay: startRelay, job }) => {
      const users = userStore(mongo);
      const sessions = sessionStore(mongo);
      const failures = loginFailureStore(mongo);
      const keyStore = signingKeyStore(mongo);
      // The unique indexes must exist before the first write relies on them.
      await ensureIndexes([users.model, ...sessions.models, failures.model, keyStore.model]);

      if (env.NODE_ENV === 'production' && !env.SIGNING_KEY_SECRET) {
        logger.warn('SIGNING_KEY_SECRET is not set: private signing keys are stored unencrypted in the auth database');
      }
      const keys = new KeyRing({
        store: keyStore,
        window: {
          accessTokenTtlMs: env.ACCESS_TOKEN_TTL_MS,
          graceMs: env.SIGNING_KEY_REFRESH_MS + env.CLOCK_TOLERANCE_MS + 60_000,
        },
        secret: env.SIGNING_KEY_SECRET,
        refreshMs: env.SIGNING_KEY_REFRESH_MS,
        now,
      });
      await keys.start();

      const relay = startRelay({ models: [users.model], pollMs: env.OUTBOX_POLL_MS });
      const flows: FlowContext = {
        users,
        sessions,
        failures,
        keys,
        passwords: passwordHasher({
          memoryCost: env.ARGON2_MEMORY_KIB,
          timeCost: env.ARGON2_TIME_COST,
          parallelism: env.ARGON2_PARALLELISM,
        }),
        policy: {
          accessToken: { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE, ttlMs: env.ACCESS_TOKEN_TTL_MS },
          refreshTtlMs: env.REFRESH_TOKEN_TTL_MS,
          refreshReuseGraceMs: env.REFRESH_REUSE_GRACE_MS,
          invitationTtlMs: env.INVITATION_TTL_MS,
          setPasswordUrlBase: `${env.PUBLIC_URL.replace(/\/+$/, '')}${env.SET_PASSWORD_PATH.replace(/\/?$/, '/')}`,
          passwordPolicy: { minLength: env.PASSWORD_MIN_LENGTH, maxLength: 128 },
          throttle: {
            maxPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
            maxPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
            windowMs: env.LOGIN_FAILURE_WINDOW_MS,
          },
        },
        now,
        logger,
      };

      if (env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD) {
        try {
          const outcome = await createAdmin(flows, {
            email: env.BOOTSTRAP_ADMIN_EMAIL,
            username: env.BOOTSTRAP_ADMIN_USERNAME,
            password: env.BOOTSTRAP_ADMIN_PASSWORD,
          });
          logger.info({ outcome: outcome.kind, user_id: outcome.id }, 'bootstrap admin');
          // Not a request, so kit's automatic nudge does not cover it: publish the account's event now.
          relay.nudge();
        } catch (err) {
          if (!(err instanceof AdminSetupError)) throw err;
          throw new Error(`BOOTSTRAP_ADMIN_EMAIL: ${err.message}`);
        }
      }

      const verifier = withSessionId(
        createVerifier({
          jwks: keys.getKey,
          issuer: env.AUTH_ISSUER,
          audience: env.AUTH_AUDIENCE,
          clockToleranceSec: Math.floor(env.CLOCK_TOLERANCE_MS / 1000),
        }),
      );
      const http: HttpDeps = {
        flows,
        verifier,
        signedIn: authenticate({ verifier }),
        cookie: { secure: env.COOKIE_SECURE },
        trustedProxyHops: env.TRUST_PROXY_HOPS,
      };
      app.route('/', sessionRoutes(http));
      app.route('/', profileRoutes(http));
      app.route('/', setPasswordRoutes(http));
      app.route('/', userAdminRoutes(http));
      app.route('/', keyRoutes(http, { prepublishMs: env.SIGNING_KEY_PREPUBLISH_MS }));

      const jobs: Job[] = [job(sweepExpiredCredentialsJob(flows, env.SWEEP_INTERVAL_MS, logger))];
      const rotation = rotateSigningKeyJob(
        flows,
        { maxAgeMs: env.SIGNING_KEY_ROTATE_AFTER_MS, prepublishMs: env.SIGNING_KEY_PREPUBLISH_MS },
        logger,
      );
      if (rotation) jobs.push(job(rotation));

      return { env, flows, keys, verifier, relay, jobs };
    },
  );
}

/** kit's verifier plus the `sid` claim, so routes know which session the caller is using. */
function withSessionId(base: Verifier): Verifier {
  return {
    async verify(token) {
      const user = await base.verify(token);
      const { sid } = decodeJwt(token);
      return typeof sid === 'string' ? { ...user, session_id: sid } : user;
    },
  };
}
