import { describe, expect, it } from 'vitest';
import {
  canRead,
  type EventFacts,
  isPast,
  registrationBlocker,
  roleOf,
  seatsInUse,
  validateEventChanges,
} from './event-rules.ts';

const now = new Date('2030-01-01T12:00:00Z');
const event: EventFacts = {
  host_id: 'h',
  cohost_ids: ['c'],
  visibility: 'invite_only',
  is_active: true,
  start_time: new Date('2030-02-01T10:00:00Z'),
  end_time: new Date('2030-02-01T12:00:00Z'),
  max_participants: 10,
  seats_left: 4,
};

describe('validateEventChanges', () => {
  it('names every missing required field on create', () => {
    expect(Object.keys(validateEventChanges({}, { now, requireAll: true })).sort()).toEqual([
      'location',
      'max_participants',
      'start_time',
      'title',
    ]);
  });

  it('wants the end after the start, also when only one of them changes', () => {
    const start = new Date('2030-03-01T10:00:00Z');
    expect(validateEventChanges({ start_time: start, end_time: start }, { now, requireAll: false }).end_time).toEqual([
      'End time must be after start time.',
    ]);
    expect(
      validateEventChanges({ end_time: new Date('2030-02-01T09:00:00Z') }, { current: event, now, requireAll: false }),
    ).toEqual({ end_time: ['End time must be after start time.'] });
    expect(
      validateEventChanges(
        { start_time: new Date('2030-02-01T13:00:00Z') },
        { current: event, now, requireAll: false },
      ),
    ).toEqual({ end_time: ['End time must be after start time; move end_time as well.'] });
  });

  it('refuses a capacity below 1 or below the seats already taken', () => {
    expect(validateEventChanges({ max_participants: 0 }, { now, requireAll: false })).toEqual({
      max_participants: ['Ensure this value is greater than or equal to 1.'],
    });
    expect(seatsInUse(event)).toBe(6);
    expect(validateEventChanges({ max_participants: 5 }, { current: event, now, requireAll: false })).toEqual({
      max_participants: ['Ensure this value is not below the number of seats already taken (6).'],
    });
    expect(validateEventChanges({ max_participants: 6 }, { current: event, now, requireAll: false })).toEqual({});
  });

  it('limits title and location lengths and refuses blanks', () => {
    const errors = validateEventChanges({ title: 'x'.repeat(201), location: '  ' }, { now, requireAll: false });
    expect(errors.title).toEqual(['Ensure this field has no more than 200 characters.']);
    expect(errors.location).toEqual(['This field may not be blank.']);
  });

  it('only a changed start must lie in the future', () => {
    expect(
      validateEventChanges({ start_time: new Date('2029-01-01T00:00:00Z') }, { now, requireAll: false }).start_time,
    ).toEqual(['Start time must be in the future.']);
    const started = { ...event, start_time: new Date('2029-12-31T00:00:00Z') };
    expect(
      validateEventChanges({ start_time: started.start_time }, { current: started, now, requireAll: false }),
    ).toEqual({});
  });
});

describe('who may do what', () => {
  it('knows hosts and co-hosts', () => {
    expect(roleOf(event, 'h')).toBe('host');
    expect(roleOf(event, 'c')).toBe('cohost');
    expect(roleOf(event, 'x')).toBeNull();
    expect(roleOf(event, undefined)).toBeNull();
  });

  it('lets anyone read public events and only insiders read invite-only ones', () => {
    expect(canRead({ ...event, visibility: 'public' }, { isParticipant: false, isInvitee: false })).toBe(true);
    expect(canRead(event, { userId: 'x', isParticipant: false, isInvitee: false })).toBe(false);
    expect(canRead(event, { userId: 'x', isParticipant: true, isInvitee: false })).toBe(true);
    expect(canRead(event, { userId: 'x', isParticipant: false, isInvitee: true })).toBe(true);
    expect(canRead(event, { userId: 'c', isParticipant: false, isInvitee: false })).toBe(true);
  });

  it('refuses in the order clients expect: gone, not as required, inactive, then started', () => {
    const closed = { ...event, is_active: false, start_time: new Date(0) };
    expect(registrationBlocker(null, now)).toBe('gone');
    expect(registrationBlocker({ ...closed, deleted_at: now }, now)).toBe('gone');
    expect(registrationBlocker(closed, now, { visibility: 'public' })).toBe('restricted');
    expect(registrationBlocker(closed, now, { visibility: 'invite_only' })).toBe('inactive');
    expect(registrationBlocker(closed, now)).toBe('inactive');
    expect(registrationBlocker({ ...event, start_time: now }, now)).toBe('past');
    expect(isPast({ start_time: now }, now)).toBe(true);
    expect(registrationBlocker(event, now)).toBeNull();
    expect(registrationBlocker(event, now, { visibility: 'invite_only' })).toBeNull();
  });
});
