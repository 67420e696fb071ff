import { BaseEnv, duration, flag, parseDuration } from '@convene/kit';
import { z } from 'zod';

/** A comma-separated list of waits, each written like any duration: "5000,30s,2m" (a bare number is ms). */
const delays = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const values = text.split(',').map((part) => parseDuration(part));
      if (values.some((v) => v === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'Expected durations separated by commas, e.g. 5000,30s,2m' });
        return z.NEVER;
      }
      return values as number[];
    });

/** Configuration of the notifier (every variable is documented in docs/notifier.md). */
export const Env = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8085),
  /** The mail server (the local mail catcher in development: ./convene start runs maildev on 1025). */
  SMTP_HOST: z.string().default('127.0.0.1'),
  /** The mail server's port. */
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(1025),
  /** Implicit TLS (port 465). Without it nodemailer still upgrades with STARTTLS when offered. */
  SMTP_SECURE: flag(false),
  /** SMTP login, when the server wants one (with SMTP_PASS). */
  SMTP_USER: z.string().optional(),
  /** SMTP password. */
  SMTP_PASS: z.string().optional(),
  /** Keep SMTP connections open and reuse them (nodemailer pool). */
  SMTP_POOL: flag(true),
  /** Pooled SMTP connections at most. */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /** Connect, greeting and socket timeouts of one SMTP conversation. */
  SMTP_TIMEOUT_MS: duration('15s'),
  /** The From of every email. */
  MAIL_FROM: z.string().default('Convene <no-reply@convene.local>'),
  /** The sender sweeps for due deliveries this often (new ones are sent at once, this catches retries). */
  SEND_INTERVAL_MS: duration('1s'),
  /** Deliveries claimed per sweep, and sent at the same time. */
  SEND_BATCH: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Emails in flight at once across a sweep. */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** A claimed delivery is not picked up by another replica for this long (the holder is presumed dead after). */
  SEND_LEASE_MS: duration('1m'),
  /** Wait before attempt 2, 3, ...; the last wait repeats until SEND_MAX_ATTEMPTS. */
  SEND_RETRY_DELAYS_MS: delays('5s,30s,2m,10m,30m'),
  /** After this many failed attempts a delivery is `dead` (an outage of about 3 h with the defaults). */
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** Fan-out of an event change: deliveries written per batch. */
  FANOUT_BATCH: z.coerce.number().int().min(1).max(5_000).default(200),
  /**
   * Opens the sealed token of invitation links (the key the invitations service seals them with,
   * 32 bytes base64): the link is `invite_url` + the token. Without it, links are sent as published.
   */
  INVITATION_LINK_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, 'Must be 32 bytes, base64-encoded'),
  /**
   * The organizer address reminders show (and put in their .ics) to everyone but the host and
   * co-hosts, who see the host's own; default noreply at PUBLIC_URL's host. The events service's
   * variable of the same name sets it for its downloadable .ics: give both the same value.
   */
  CALENDAR_ORGANIZER_EMAIL: z.email().optional(),
  /** Signs the one-click unsubscribe links (List-Unsubscribe). */
  UNSUBSCRIBE_SECRET: z.string().min(32).default('development-unsubscribe-secret-change-me'),
  /** Turn off every timer (tests that drive the sender by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers. */
  CONSUMERS_ENABLED: flag(true),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && env.UNSUBSCRIBE_SECRET === 'development-unsubscribe-secret-change-me') {
    ctx.addIssue({ code: 'custom', path: ['UNSUBSCRIBE_SECRET'], message: 'Set a secret of your own in production' });
  }
  if ((env.SMTP_USER === undefined) !== (env.SMTP_PASS === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['SMTP_PASS'], message: 'SMTP_USER and SMTP_PASS go together' });
  }
});

export type Env = z.infer<typeof Env>;
