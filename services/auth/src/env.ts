import { BaseEnv } from '@convene/kit';
import { z } from 'zod';

const seconds = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const DAY = 24 * 60 * 60;

/** How passwords are hashed (argon2id; OWASP's minimum profile by default). */
const PasswordHashing = {
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8_192).default(19_456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(10),
};

const Settings = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8081),
  // Auth verifies its own tokens from its key store; the URL is only what it tells others.
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),

  ACCESS_TOKEN_TTL_SEC: seconds(15 * 60, 5),
  REFRESH_TOKEN_TTL_SEC: seconds(7 * DAY, 60),
  /** A rotated refresh token presented again this soon is a retry after a lost response, not theft. */
  REFRESH_REUSE_GRACE_SEC: seconds(10, 0),
  INVITATION_TTL_SEC: seconds(7 * DAY, 60),
  /** Path of the public page the set-password link opens (on PUBLIC_URL). */
  SET_PASSWORD_PATH: z.string().startsWith('/').default('/set-password/'),

  /** At least 32 characters; encrypts private signing keys in the database (boot warns without it in production). */
  SIGNING_KEY_SECRET: z.string().min(32, 'SIGNING_KEY_SECRET must be at least 32 characters').optional(),
  /** Scheduled rotation; 0 turns it off (rotate with the CLI or the internal route). */
  SIGNING_KEY_ROTATE_AFTER_DAYS: z.coerce.number().min(0).default(30),
  /** A new key is published this long before it signs, so cached JWKS sets learn it first. */
  SIGNING_KEY_PREPUBLISH_SEC: seconds(60, 0),
  /** How often a replica re-reads the key set (rotations by other replicas). */
  SIGNING_KEY_REFRESH_SEC: seconds(30),
  /** Verifiers' clock tolerance; also added to how long a retired key stays published. */
  CLOCK_TOLERANCE_SEC: seconds(5, 0),

  LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
  LOGIN_MAX_FAILURES_PER_IP: count(20),
  LOGIN_FAILURE_WINDOW_SEC: seconds(15 * 60),
  /** Proxies in front of auth that append to X-Forwarded-For (the gateway: 1). 0 = use the socket address. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),

  /** Secure flag on the access_token cookie; defaults to on when PUBLIC_URL is https. */
  COOKIE_SECURE: z.stringbool().optional(),

  /** Sweeps expired refresh tokens, sessions, login-failure windows and retired keys. */
  SWEEP_INTERVAL_SEC: seconds(300),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1000),

  /** Creates this admin at boot when no account has the email (never overwrites one). */
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  BOOTSTRAP_ADMIN_USERNAME: z.string().min(1).max(150).default('admin'),
  ...PasswordHashing,
});

export const Env = Settings.superRefine((env, ctx) => {
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.BOOTSTRAP_ADMIN_EMAIL ? 'BOOTSTRAP_ADMIN_PASSWORD' : 'BOOTSTRAP_ADMIN_EMAIL'],
      message: 'BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are set together or not at all',
    });
  }
  if (env.REFRESH_REUSE_GRACE_SEC >= env.REFRESH_TOKEN_TTL_SEC) {
    ctx.addIssue({
      code: 'custom',
      path: ['REFRESH_REUSE_GRACE_SEC'],
      message: 'must be shorter than REFRESH_TOKEN_TTL_SEC',
    });
  }
});
export type Env = z.output<typeof Env>;

/** What the admin CLIs need: the database and the password rules, not a server. */
export const CliEnv = z.object({
  MONGO_URL: BaseEnv.shape.MONGO_URL,
  /** create-admin reads the password from here when set (`pnpm convene users:create-admin`), else prompts. */
  CONVENE_ADMIN_PASSWORD: z.string().optional(),
  /** Same, shorter name. */
  ADMIN_PASSWORD: z.string().optional(),
  SIGNING_KEY_SECRET: Settings.shape.SIGNING_KEY_SECRET,
  ACCESS_TOKEN_TTL_SEC: Settings.shape.ACCESS_TOKEN_TTL_SEC,
  SIGNING_KEY_PREPUBLISH_SEC: Settings.shape.SIGNING_KEY_PREPUBLISH_SEC,
  CLOCK_TOLERANCE_SEC: Settings.shape.CLOCK_TOLERANCE_SEC,
  SIGNING_KEY_REFRESH_SEC: Settings.shape.SIGNING_KEY_REFRESH_SEC,
  ...PasswordHashing,
});
export type CliEnv = z.output<typeof CliEnv>;
