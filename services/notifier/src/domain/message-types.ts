import { normaliseEmail } from '@convene/domain-kit';

/**
 * Every kind of message the notifier sends, and what kind of mail it is. Security mail (a
 * set-password link) is always sent; everything else can be switched off per category and carries
 * a List-Unsubscribe header.
 */
export const MESSAGE_TYPES = [
  'user-invited',
  'invitation-sent',
  'invitation-reminder',
  'invitation-accepted',
  'invitation-declined',
  'registration-confirmed',
  'registration-waitlisted',
  'registration-offered',
  'registration-promoted',
  'registration-cancelled',
  'event-updated',
  'event-cancelled',
  'event-reminder',
  'feedback-submitted',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const CATEGORIES = [
  'security',
  'invitations',
  'registrations',
  'event_updates',
  'reminders',
  'feedback',
] as const;
export type Category = (typeof CATEGORIES)[number];
/** The categories a person may opt out of. */
export const OPTIONAL_CATEGORIES = CATEGORIES.filter((c) => c !== 'security');

const CATEGORY_OF: Record<MessageType, Category> = {
  'user-invited': 'security',
  'invitation-sent': 'invitations',
  'invitation-reminder': 'reminders',
  'invitation-accepted': 'invitations',
  'invitation-declined': 'invitations',
  'registration-confirmed': 'registrations',
  'registration-waitlisted': 'registrations',
  'registration-offered': 'registrations',
  'registration-promoted': 'registrations',
  'registration-cancelled': 'registrations',
  'event-updated': 'event_updates',
  'event-cancelled': 'event_updates',
  'event-reminder': 'reminders',
  'feedback-submitted': 'feedback',
};

export function categoryOf(type: MessageType): Category {
  return CATEGORY_OF[type];
}

/** Essential mail ignores opt-outs and has no unsubscribe link. */
export function isEssential(type: MessageType): boolean {
  return CATEGORY_OF[type] === 'security';
}

/** Whether a person who opted out of `optedOut` still gets this message. */
export function wantsMessage(type: MessageType, optedOut: readonly string[]): boolean {
  return isEssential(type) || !optedOut.includes(CATEGORY_OF[type]);
}

/** One email per (source event, message type, recipient): the delivery log's unique key. */
export function deliveryKey(sourceEventId: string, type: MessageType, email: string): string {
  return `${sourceEventId}:${type}:${normaliseEmail(email)}`;
}

/** One inbox entry per (source event, message type, user). */
export function notificationKey(sourceEventId: string, type: MessageType, userId: string): string {
  return `${sourceEventId}:${type}:${userId}`;
}
