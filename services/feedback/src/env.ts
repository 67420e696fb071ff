import { BaseEnv } from '@convene/kit';
import { z } from 'zod';

const DAY_MS = 24 * 3_600_000;

/** The one boolean parser: true/false/1/0. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Configuration of the feedback service (every variable is documented in docs/feedback.md). */
export const Env = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
  /** The events service, for the one read-through on a projection miss. */
  EVENTS_URL: z.url().default('http://127.0.0.1:8082'),
  EVENTS_TIMEOUT_MS: ms(3000).refine((v) => v >= 100, 'Must be at least 100'),
  /** Feedback opens when the event starts (default) or only once it has ended. */
  FEEDBACK_OPENS_AT: z.enum(['start', 'end']).default('start'),
  /** How long after the event's end feedback can still be left or edited. */
  FEEDBACK_WINDOW_MS: ms(14 * DAY_MS),
  COMMENT_MAX_LENGTH: z.coerce.number().int().min(1).max(100_000).default(2000),
  OUTBOX_POLL_MS: ms(1000).refine((v) => v >= 10, 'Must be at least 10'),
  /** A summary change still pending after this long is finished by the recovery sweep. */
  SUMMARY_SETTLE_AFTER_MS: ms(30_000),
  RECOVERY_INTERVAL_MS: ms(10_000).refine((v) => v >= 100, 'Must be at least 100'),
  /** processed_messages markers older than this are pruned (once a day). */
  PROCESSED_RETENTION_MS: ms(7 * DAY_MS),
  /** Turn off every timer (tests that drive the jobs by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers. */
  CONSUMERS_ENABLED: flag(true),
});

export type Env = z.infer<typeof Env>;
