import { BaseEnv, duration, flag } from '@convene/kit';
import { z } from 'zod';
import { eventZoneName, unknownTimeZoneMessage } from './domain/event-zone.ts';

/** An IANA zone the runtime knows, kept in its canonical form (the same check as an event's `timezone`). */
export const timeZoneSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((zone, ctx) => {
      const canonical = eventZoneName(zone);
      if (canonical) return canonical;
      ctx.addIssue({ code: 'custom', message: unknownTimeZoneMessage(zone) ?? 'Unknown time zone.' });
      return z.NEVER;
    });

/** Configuration of the events service (every variable is documented in docs/events.md). */
export const Env = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
  /** Events a user may create in any rolling EVENT_CREATE_WINDOW_MS. */
  EVENT_CREATE_LIMIT: z.coerce.number().int().min(1).default(5),
  /** The rolling window EVENT_CREATE_LIMIT counts in. */
  EVENT_CREATE_WINDOW_MS: duration('24h', { min: 1 }),
  /** end_time when a client sends only a start (the legacy events API has only `date`). */
  DEFAULT_EVENT_DURATION_MS: duration('2h', { min: 1 }),
  /**
   * The zone of an event created without one, and of events stored before events had zones
   * (read as this wherever they are shown or announced).
   */
  DEFAULT_EVENT_TIMEZONE: timeZoneSetting('UTC'),
  /** How long a freed seat is held for the next in line in offer mode, unless the event says. */
  OFFER_WINDOW_MS: duration('24h', { min: 1 }),
  /** event.reminder_due goes out this long before the start. */
  REMINDER_LEAD_MS: duration('24h', { min: 1 }),
  /** How often the reminder job looks for events starting within REMINDER_LEAD_MS. */
  REMINDER_INTERVAL_MS: duration('1m', { min: 1 }),
  /** Events that ended longer ago than this are deleted by the cleanup. */
  CLEANUP_OLDER_THAN_MS: duration('30d', { min: 1 }),
  /** How often the scheduled cleanup runs (once across all replicas). */
  CLEANUP_INTERVAL_MS: duration('24h', { min: 1 }),
  /** A registration move older than this is finished or undone by recovery. */
  TXN_TIMEOUT_MS: duration('30s', { min: 1000 }),
  /** How often recovery looks for registration moves older than TXN_TIMEOUT_MS. */
  RECOVERY_INTERVAL_MS: duration('5s', { min: 1 }),
  /**
   * The outbox relay's lease on each collection (one replica publishes at a time, renewing it every
   * poll, 1s): how long after a replica dies another one takes over publishing.
   */
  OUTBOX_LEASE_MS: duration('30s', { min: 2000 }),
  /** Sweep for lapsed offers and free seats with people waiting (the consumers do it sooner). */
  WAITLIST_INTERVAL_MS: duration('10s', { min: 1 }),
  /**
   * The organizer address in calendar files for readers who may not see the host's own (everyone
   * but the host and co-hosts); `noreply@<host of PUBLIC_URL>` when unset.
   */
  CALENDAR_ORGANIZER_EMAIL: z.email().optional(),
  /** Turn off every timer (a replica that only serves HTTP, or tests that drive jobs by hand). */
  JOBS_ENABLED: flag(true),
  /** Turn off the bus consumers (tests that feed handlers directly). */
  CONSUMERS_ENABLED: flag(true),
});

export type Env = z.infer<typeof Env>;
