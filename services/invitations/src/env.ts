import { BaseEnv, duration, flag } from '@convene/kit';
import { z } from 'zod';

/** A key for development only, so `pnpm start` works without configuration; production refuses it. */
export const DEVELOPMENT_LINK_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * What the flows read (flows/context.ts's flowContext): the service's Env and the operator CLI,
 * which parses only this part beside MONGO_URL, build their FlowContext from it alike.
 */
export const FlowSettings = z.object({
  /** The gateway's public address: the invitation page the links open lives there. */
  PUBLIC_URL: BaseEnv.shape.PUBLIC_URL,
  /** Where projection misses are read from (GET /internal/events/:id, GET /internal/users/:id). */
  EVENTS_URL: z.url().default('http://127.0.0.1:8082'),
  /** Auth's base URL, for the internal user reads (GET /internal/users/:id). */
  AUTH_URL: z.url().default('http://127.0.0.1:8081'),
  /** Timeout of one internal read. */
  INTERNAL_READ_TIMEOUT_MS: duration(3000),
  /**
   * 32 bytes, base64: seals the link's token inside invitation.sent|resent|reminder_due for the
   * notifier (which holds the same key), and the copy kept for reminders and resends. See decision 0040.
   */
  INVITATION_LINK_KEY: z.string().min(1).default(DEVELOPMENT_LINK_KEY),
  /** How long an invitation stays open unless the inviter says (expires_in_days). */
  INVITATION_TTL_MS: duration('7d'),
  /** Resends allowed per invitation; one more answers 429. */
  MAX_RESENDS: z.coerce.number().int().min(0).default(3),
  /** invitation.reminder_due goes out this long before expiry (once per invitation). */
  REMINDER_LEAD_MS: duration('48h'),
  /** Unknown tokens a client may try per window on the public token endpoints before 429. */
  TOKEN_MISSES_PER_WINDOW: z.coerce.number().int().min(0).default(20),
  /** The window TOKEN_MISSES_PER_WINDOW counts in. */
  TOKEN_MISS_WINDOW_MS: duration('15m'),
  /** Largest CSV import accepted (rows beyond it are refused with a row error). */
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(50_000),
  /** Rows of a CSV import written per batch (memory stays bounded by it). */
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
});
export type FlowSettings = z.infer<typeof FlowSettings>;

/** Configuration of the invitations service (every variable is documented in docs/invitations.md). */
export const Env = BaseEnv.extend({
  ...FlowSettings.shape,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
  /** How often the sweeper expires overdue pending invitations. */
  EXPIRY_INTERVAL_MS: duration('1m'),
  /** How often the reminder job looks for invitations within REMINDER_LEAD_MS of expiry. */
  REMINDER_INTERVAL_MS: duration('5m'),
  /** Largest CSV upload (the gateway's IMPORT_BODY_LIMIT_BYTES must not exceed it); every other route takes 1 MiB. */
  IMPORT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** How often the outbox relay looks for unpublished events (a write nudges it at once). */
  OUTBOX_POLL_MS: duration(1000),
  /** Turn off every timer (tests that drive jobs by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers. */
  CONSUMERS_ENABLED: flag(true),
})
  .refine((env) => env.NODE_ENV !== 'production' || env.INVITATION_LINK_KEY !== DEVELOPMENT_LINK_KEY, {
    path: ['INVITATION_LINK_KEY'],
    message: 'Required in production (32 random bytes, base64)',
  })
  .refine((env) => Buffer.from(env.INVITATION_LINK_KEY, 'base64').length === 32, {
    path: ['INVITATION_LINK_KEY'],
    message: 'Must be 32 bytes, base64-encoded',
  })
  .refine((env) => env.REMINDER_LEAD_MS < env.INVITATION_TTL_MS, {
    path: ['REMINDER_LEAD_MS'],
    message: 'Must be shorter than INVITATION_TTL_MS',
  });

export type Env = z.infer<typeof Env>;
