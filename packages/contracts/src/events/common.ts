import { z } from 'zod';

export const Id = z.string().min(1);
export const Timestamp = z.iso.datetime({ offset: true });

/** Who someone is, carried with the ids so consumers can address and greet them without a lookup. */
export const Person = z.object({
  user_id: Id.nullable(),
  email: z.email(),
  name: z.string(),
});
export type Person = z.infer<typeof Person>;

export const UserRole = z.enum(['user', 'admin']);
export const UserStatus = z.enum(['invited', 'active', 'disabled']);
export const Visibility = z.enum(['public', 'invite_only']);
export const WaitlistMode = z.enum(['auto', 'offer']);
export const InvitationRole = z.enum(['attendee', 'cohost']);

/**
 * An IANA time zone name (`Europe/Kyiv`), checked by its owner against the runtime's zone
 * database; messages written before zones existed read as UTC.
 */
export const TimeZoneName = z.string().min(1).max(64);

/** The event facts downstream services need to act on a message about it. */
export const EventSnapshot = z.object({
  event_id: Id,
  title: z.string(),
  description: z.string(),
  host: Person,
  cohost_ids: z.array(Id),
  start_time: Timestamp,
  end_time: Timestamp,
  location: z.string(),
  max_participants: z.number().int().positive(),
  visibility: Visibility,
  is_active: z.boolean(),
  requires_check_in: z.boolean(),
  waitlist_mode: WaitlistMode,
  /** The zone the event happens in: everything shown to people renders its times there. */
  timezone: TimeZoneName.default('UTC'),
});
export type EventSnapshot = z.infer<typeof EventSnapshot>;
export type EventSnapshotInput = z.input<typeof EventSnapshot>;

export const UserSnapshot = z.object({
  user_id: Id,
  username: z.string(),
  email: z.email(),
  first_name: z.string(),
  last_name: z.string(),
  role: UserRole,
  status: UserStatus,
  /** The person's own zone and locale (profile, optional): their emails add the time in their zone. */
  timezone: TimeZoneName.nullable().default(null),
  locale: z.string().max(35).nullable().default(null),
});
