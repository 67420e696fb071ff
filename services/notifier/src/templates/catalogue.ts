import { z } from 'zod';
import type { MessageType } from '../domain/message-types.ts';

const iso = z.iso.datetime({ offset: true });

/** What every message about an event shows of it. */
export const EventFacts = z.object({
  event_id: z.string(),
  title: z.string(),
  start_time: iso.nullable(),
  end_time: iso.nullable(),
  location: z.string().nullable(),
  /** The event page (`/e/<id>`), never an API address. */
  url: z.url(),
  /** The event's IANA zone: every time in the message is shown there (deliveries queued before zones: UTC). */
  timezone: z.string().default('UTC'),
});
export type EventFacts = z.infer<typeof EventFacts>;

/**
 * The recipient's own zone and locale, when their account has them: their email adds the time in
 * their zone beside the event's. Filled in when the message is queued (see queueNotifications).
 */
export const Reader = z.object({ timezone: z.string().nullable(), locale: z.string().nullable() });
export type Reader = z.infer<typeof Reader>;
const reader = { reader: Reader.optional() };

const Invitation = z.object({
  name: z.string(),
  host_name: z.string(),
  event: EventFacts,
  message: z.string(),
  accept_url: z.url(),
  expires_at: iso,
  role: z.enum(['attendee', 'cohost']),
  is_vip: z.boolean(),
  ...reader,
});

const Answer = z.object({
  name: z.string(),
  invitee_name: z.string(),
  invitee_email: z.email(),
  event: EventFacts,
  ...reader,
});
const AboutEvent = z.object({ name: z.string(), event: EventFacts, ...reader });

/**
 * The data of every message type (the template's contract), checked when a delivery is queued
 * and again before it is rendered. Each type has `<type>.subject.hbs`, `.html.hbs`, `.text.hbs` here.
 */
export const TEMPLATE_DATA = {
  'user-invited': z.object({
    name: z.string(),
    username: z.string(),
    set_password_url: z.url(),
    expires_at: iso,
    invited_by: z.string().nullable(),
    resend: z.boolean(),
    ...reader,
  }),
  'invitation-sent': Invitation.extend({ resent: z.boolean() }),
  'invitation-reminder': Invitation,
  'invitation-accepted': Answer,
  'invitation-declined': Answer,
  'registration-confirmed': AboutEvent,
  'registration-promoted': AboutEvent,
  'registration-waitlisted': AboutEvent.extend({ position: z.number().int().positive() }),
  'registration-offered': AboutEvent.extend({ offer_expires_at: iso }),
  'registration-cancelled': AboutEvent.extend({ reason: z.string() }),
  'event-updated': AboutEvent.extend({ changes: z.string() }),
  'event-cancelled': AboutEvent.extend({ reason: z.string().nullable() }),
  'event-reminder': AboutEvent.extend({
    lead: z.string(),
    description: z.string(),
    host_name: z.string(),
    /** The host's own address for the host and co-hosts, the organizer contact for everyone else. */
    organizer_email: z.email(),
  }),
  'feedback-submitted': AboutEvent.extend({
    author_name: z.string(),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
  }),
} satisfies Record<MessageType, z.ZodType>;

export type TemplateData<T extends MessageType> = z.infer<(typeof TEMPLATE_DATA)[T]>;

/** A message ready to queue: its type and data, checked together. */
export type Message = { [T in MessageType]: { type: T; data: TemplateData<T> } }[MessageType];
