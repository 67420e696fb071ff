import { randomUUID } from 'node:crypto';
import type { EventData, EventSnapshot, Person } from '@convene/contracts';

let n = 0;
/** A distinct person per call, with an account unless `user_id: null`. */
export function person(name = 'ann', overrides: Partial<Person> = {}): Person {
  n++;
  const tag = `${name}${n}-${randomUUID().slice(0, 6)}`;
  return {
    user_id: `u-${tag}`,
    email: `${tag}@example.com`,
    name: `${name[0]!.toUpperCase()}${name.slice(1)} ${n}`,
    ...overrides,
  };
}

export function eventSnapshot(overrides: Partial<EventSnapshot> = {}): EventSnapshot {
  const start = new Date(Date.now() + 7 * 86_400_000);
  return {
    event_id: `evt-${randomUUID()}`,
    title: 'Python Workshop',
    description: 'Hands-on Python.',
    host: person('hugo'),
    cohost_ids: [],
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    location: 'Tech Hub, New York',
    max_participants: 10,
    visibility: 'public',
    is_active: true,
    requires_check_in: false,
    waitlist_mode: 'auto',
    timezone: 'UTC',
    ...overrides,
  };
}

export function invitationSent(overrides: Partial<EventData<'invitation.sent'>> = {}): EventData<'invitation.sent'> {
  const host = person('hugo');
  const token = randomUUID();
  return {
    invitation_id: `inv-${randomUUID()}`,
    event_id: `evt-${randomUUID()}`,
    event_title: 'Python Workshop',
    event_start_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    invitee: person('bea'),
    invited_by: { ...host, user_id: host.user_id! },
    role: 'attendee',
    is_vip: false,
    bypass_capacity: false,
    message: 'Hope you can come!',
    invite_url: `http://convene.test/invite/${token}`,
    expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    event_timezone: 'UTC',
    ...overrides,
  };
}

export function registration(
  event: EventSnapshot,
  attendee: Person,
): Omit<EventData<'registration.confirmed'>, 'promoted' | 'bypassed_capacity' | 'registered_at'> {
  return { registration_id: `reg-${randomUUID()}`, event, attendee, invitation_id: null };
}
