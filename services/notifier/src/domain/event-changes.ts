/** The changes of an event worth an email to its participants: when and where. */
const NOTICEABLE = ['start_time', 'end_time', 'location'] as const;

export function noticeableChanges(changed: readonly string[]): string[] {
  return NOTICEABLE.filter((field) => changed.includes(field));
}

const LABELS: Record<string, string> = { start_time: 'start time', end_time: 'end time', location: 'place' };

export function describeChanges(fields: readonly string[]): string {
  return fields.map((field) => LABELS[field] ?? field).join(', ');
}

const REASONS: Record<string, string> = {
  unregistered: 'you cancelled your registration',
  left_waitlist: 'you left the waitlist',
  offer_lapsed: 'the offered seat was not taken in time',
  invitation_cancelled: 'the host withdrew your invitation',
  event_deleted: 'the event was deleted',
};

export function describeCancellation(reason: string): string {
  return REASONS[reason] ?? reason;
}
