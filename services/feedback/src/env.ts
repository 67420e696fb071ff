import { BaseEnv, duration, flag } from '@convene/kit';
import { z } from 'zod';

/** Configuration of the feedback service (every variable is documented in docs/feedback.md). */
export const Env = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
  /** The events service, for the one read-through on a projection miss. */
  EVENTS_URL: z.url().default('http://127.0.0.1:8082'),
  /** Timeout of that read. */
  EVENTS_TIMEOUT_MS: duration('3s', { min: 100 }),
  /** Feedback opens when the event starts (default) or only once it has ended. */
  FEEDBACK_OPENS_AT: z.enum(['start', 'end']).default('start'),
  /** How long after the event's end feedback can still be left or edited. */
  FEEDBACK_WINDOW_MS: duration('14d'),
  /** Longest feedback comment accepted, in characters. */
  COMMENT_MAX_LENGTH: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** How often the outbox relay looks for unpublished events (a write nudges it at once). */
  OUTBOX_POLL_MS: duration('1s', { min: 10 }),
  /** A summary change still pending after this long is finished by the recovery sweep. */
  SUMMARY_SETTLE_AFTER_MS: duration('30s'),
  /** How often the recovery sweep runs (see SUMMARY_SETTLE_AFTER_MS). */
  RECOVERY_INTERVAL_MS: duration('10s', { min: 100 }),
  /** Turn off every timer (tests that drive the jobs by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers. */
  CONSUMERS_ENABLED: flag(true),
});

export type Env = z.infer<typeof Env>;
