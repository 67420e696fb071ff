import { BaseEnv, duration, flag } from '@convene/kit';
import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const SECOND = 1000;

/** How passwords are hashed (argon2id; OWASP's minimum profile by default). */
const PasswordHashing = {
  /** argon2id memory cost per hash, KiB. */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8_192).default(19_456),
  /** argon2id iterations. */
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  /** argon2id lanes. */
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
  /** Shortest password accepted (8–64). */
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(10),
};

// Durations are kit's one convention: *_MS, milliseconds or a number with a unit (30s, 15m, 7d).
const Settings = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8081),
  // Auth verifies its own tokens from its key store; the URL is only what it tells others.
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),

  /** How long an access token is valid. */
  ACCESS_TOKEN_TTL_MS: duration('15m', { min: 5 * SECOND }),
  /** How long a refresh token (a session) is valid; each refresh rotates it. */
  REFRESH_TOKEN_TTL_MS: duration('7d', { min: 60 * SECOND }),
  /** A rotated refresh token presented again this soon is a retry after a lost response, not theft. */
  REFRESH_REUSE_GRACE_MS: duration('10s'),
  /** How long an admin's set-password link stays valid. */
  INVITATION_TTL_MS: duration('7d', { min: 60 * SECOND }),
  /** Path of the public page the set-password link opens (on PUBLIC_URL). */
  SET_PASSWORD_PATH: z.string().startsWith('/').default('/set-password/'),

  /** At least 32 characters; encrypts private signing keys in the database (boot warns without it in production). */
  SIGNING_KEY_SECRET: z.string().min(32, 'SIGNING_KEY_SECRET must be at least 32 characters').optional(),
  /** Scheduled rotation once the newest key is this old; 0 turns it off (rotate with the CLI or the internal route). */
  SIGNING_KEY_ROTATE_AFTER_MS: duration('30d'),
  /** A new key is published this long before it signs, so cached JWKS sets learn it first. */
  SIGNING_KEY_PREPUBLISH_MS: duration('60s'),
  /** How often a replica re-reads the key set (rotations by other replicas). */
  SIGNING_KEY_REFRESH_MS: duration('30s', { min: SECOND }),
  /** Verifiers' clock tolerance (whole seconds are used); also added to how long a retired key stays published. */
  CLOCK_TOLERANCE_MS: duration('5s'),

  /** Failed sign-ins on one account per LOGIN_FAILURE_WINDOW_MS before further attempts answer 429. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
  /** Failed sign-ins from one client address per LOGIN_FAILURE_WINDOW_MS before further attempts answer 429. */
  LOGIN_MAX_FAILURES_PER_IP: count(20),
  /** The window failed sign-ins are counted in. */
  LOGIN_FAILURE_WINDOW_MS: duration('15m', { min: SECOND }),
  /** Proxies in front of auth that append to X-Forwarded-For (the gateway: 1). 0 = use the socket address. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),

  /** Secure flag on the access_token cookie; when unset, on exactly when PUBLIC_URL is https (see Env). */
  COOKIE_SECURE: flag(false),

  /** Sweeps expired refresh tokens, sessions, login-failure windows and retired keys. */
  SWEEP_INTERVAL_MS: duration('5m', { min: SECOND }),
  /** How often the outbox relay looks for unpublished events (a write nudges it at once). */
  OUTBOX_POLL_MS: duration(1000, { min: 50 }),

  /** Creates this admin at boot when no account has the email (never overwrites one). */
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  /** The bootstrap admin's password (with BOOTSTRAP_ADMIN_EMAIL). */
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  /** The bootstrap admin's username. */
  BOOTSTRAP_ADMIN_USERNAME: z.string().min(1).max(150).default('admin'),
  ...PasswordHashing,
});

/**
 * Names auth read before the one duration convention. Set, they stop the boot with the new name
 * instead of being ignored (an ignored ACCESS_TOKEN_TTL_SEC=300 would silently mean 15 minutes).
 */
export const RENAMED: Record<string, string> = {
  ACCESS_TOKEN_TTL_SEC: 'ACCESS_TOKEN_TTL_MS',
  REFRESH_TOKEN_TTL_SEC: 'REFRESH_TOKEN_TTL_MS',
  REFRESH_REUSE_GRACE_SEC: 'REFRESH_REUSE_GRACE_MS',
  INVITATION_TTL_SEC: 'INVITATION_TTL_MS',
  SIGNING_KEY_ROTATE_AFTER_DAYS: 'SIGNING_KEY_ROTATE_AFTER_MS',
  SIGNING_KEY_PREPUBLISH_SEC: 'SIGNING_KEY_PREPUBLISH_MS',
  SIGNING_KEY_REFRESH_SEC: 'SIGNING_KEY_REFRESH_MS',
  CLOCK_TOLERANCE_SEC: 'CLOCK_TOLERANCE_MS',
  LOGIN_FAILURE_WINDOW_SEC: 'LOGIN_FAILURE_WINDOW_MS',
  SWEEP_INTERVAL_SEC: 'SWEEP_INTERVAL_MS',
};

function refuseRenamed(raw: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [old, current] of Object.entries(RENAMED)) {
    if (raw[old] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [old], message: `renamed to ${current} (e.g. 900s, 15m, 7d)` });
    }
  }
}

export const Env = z
  .preprocess((raw, ctx) => {
    const input = (raw ?? {}) as Record<string, unknown>;
    refuseRenamed(input, ctx);
    // COOKIE_SECURE's default follows PUBLIC_URL (BaseEnv's default one is http).
    const https = typeof input.PUBLIC_URL === 'string' && input.PUBLIC_URL.startsWith('https:');
    return { COOKIE_SECURE: String(https), ...input };
  }, Settings)
  .superRefine((env, ctx) => {
    if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.BOOTSTRAP_ADMIN_EMAIL ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL'],
        message: 'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are set together or not at all',
      });
    }
    if (env.REFRESH_REUSE_GRACE_MS >= env.REFRESH_TOKEN_TTL_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFRESH_REUSE_GRACE_MS'],
        message: 'must be shorter than REFRESH_TOKEN_TTL_MS',
      });
    }
  });
export type Env = z.output<typeof Env>;

/** What the admin CLIs need: the database and the password rules, not a server. */
export const CliEnv = z.preprocess(
  (raw, ctx) => {
    refuseRenamed((raw ?? {}) as Record<string, unknown>, ctx);
    return raw;
  },
  z.object({
    MONGO_URL: BaseEnv.shape.MONGO_URL,
    /** create-admin reads the password from here when set (`pnpm convene users:create-admin`), else prompts. */
    CONVENE_ADMIN_PASSWORD: z.string().optional(),
    /** Same, shorter name. */
    ADMIN_PASSWORD: z.string().optional(),
    SIGNING_KEY_SECRET: Settings.shape.SIGNING_KEY_SECRET,
    PUBLIC_URL: BaseEnv.shape.PUBLIC_URL, // users:invite builds the set-password link as the service does
    SET_PASSWORD_PATH: Settings.shape.SET_PASSWORD_PATH,
    INVITATION_TTL_MS: Settings.shape.INVITATION_TTL_MS,
    ACCESS_TOKEN_TTL_MS: Settings.shape.ACCESS_TOKEN_TTL_MS,
    SIGNING_KEY_PREPUBLISH_MS: Settings.shape.SIGNING_KEY_PREPUBLISH_MS,
    CLOCK_TOLERANCE_MS: Settings.shape.CLOCK_TOLERANCE_MS,
    SIGNING_KEY_REFRESH_MS: Settings.shape.SIGNING_KEY_REFRESH_MS,
    ...PasswordHashing,
  }),
);
export type CliEnv = z.output<typeof CliEnv>;
