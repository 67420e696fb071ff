import { BaseEnv } from '@convene/kit';
import { z } from 'zod';
import { parseDuration } from './domain/duration.ts';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'Expected a duration such as 30d, 24h, 15m, 30s or 500ms' });
        return z.NEVER;
      }
      return ms;
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Configuration of the events service (every variable is documented in docs/events.md). */
export const Env = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
  /** Events a user may create in any rolling EVENT_CREATE_WINDOW. */
  EVENT_CREATE_LIMIT: z.coerce.number().int().min(1).default(5),
  EVENT_CREATE_WINDOW: duration('24h'),
  /** end_time when a client (seed 003) sends only a start. */
  DEFAULT_EVENT_DURATION: duration('2h'),
  /** How long a freed seat is held for the next in line in offer mode, unless the event says. */
  OFFER_WINDOW: duration('24h'),
  /** event.reminder_due goes out this long before the start. */
  REMINDER_LEAD: duration('24h'),
  REMINDER_INTERVAL: duration('1m'),
  /** Events that ended longer ago than this are deleted by the cleanup. */
  CLEANUP_OLDER_THAN: duration('30d'),
  /** How often the scheduled cleanup runs (once across all replicas). */
  CLEANUP_INTERVAL: duration('24h'),
  /** A registration move older than this is finished or undone by recovery. */
  TXN_TIMEOUT: duration('30s'),
  RECOVERY_INTERVAL: duration('5s'),
  /** Sweep for lapsed offers and free seats with people waiting (the consumers do it sooner). */
  WAITLIST_INTERVAL: duration('10s'),
  /**
   * The organizer address in calendar files for readers who may not see the host's own (everyone
   * but the host and co-hosts); `noreply@<host of PUBLIC_URL>` when unset.
   */
  CALENDAR_ORGANIZER_EMAIL: z.email().optional(),
  /** Turn off every timer (a replica that only serves HTTP, or tests that drive jobs by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers (tests that feed handlers directly). */
  CONSUMERS_ENABLED: flag(true),
}).refine((env) => env.TXN_TIMEOUT >= 1000, { path: ['TXN_TIMEOUT'], message: 'Must be at least 1s' });

export type Env = z.infer<typeof Env>;
