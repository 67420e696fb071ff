import { describe, expect, it } from 'vitest';
import {
  acceptanceRate,
  answerFrom,
  answerRefusal,
  effectiveStatus,
  invitationState,
  reminderDueAt,
  roleFrom,
  statusFilterFrom,
} from './invitation-rules.ts';

const at = (iso: string) => new Date(iso);

describe('invitation rules', () => {
  it("maps the legacy /api/invites API's roles and refuses unknown ones", () => {
    expect(['viewer', 'Contributor', 'CUSTODIAN', 'attendee', 'cohost', undefined, ''].map(roleFrom)).toEqual([
      'attendee',
      'cohost',
      'cohost',
      'attendee',
      'cohost',
      'attendee',
      'attendee',
    ]);
    expect(roleFrom('emperor')).toBeUndefined();
  });

  it("reads the invitee's answers case-insensitively, rejected meaning declined", () => {
    expect(['ACCEPTED', 'accepted', 'Declined', 'rejected', ' REJECTED '].map(answerFrom)).toEqual([
      'accepted',
      'accepted',
      'declined',
      'declined',
      'declined',
    ]);
    expect(answerFrom('maybe')).toBeUndefined();
    expect(statusFilterFrom('Rejected')).toBe('declined');
    expect(statusFilterFrom('nope')).toBeUndefined();
  });

  it('treats an overdue pending invitation as expired, to the millisecond', () => {
    const inv = { status: 'pending' as const, expires_at: at('2030-01-08T00:00:00Z') };
    expect(effectiveStatus(inv, at('2030-01-07T23:59:59.999Z'))).toBe('pending');
    expect(effectiveStatus(inv, at('2030-01-08T00:00:00Z'))).toBe('expired');
    expect(effectiveStatus({ ...inv, status: 'accepted' }, at('2031-01-01T00:00:00Z'))).toBe('accepted');
  });

  it('says why an invitation cannot be answered', () => {
    const expires_at = at('2030-01-08T00:00:00Z');
    const now = at('2030-01-01T00:00:00Z');
    expect(answerRefusal({ status: 'pending', expires_at }, now)).toBeUndefined();
    expect(answerRefusal({ status: 'pending', expires_at }, at('2030-02-01T00:00:00Z'))).toBe('INVITATION_EXPIRED');
    expect(answerRefusal({ status: 'cancelled', expires_at }, now)).toBe('INVITATION_CANCELLED');
    expect(answerRefusal({ status: 'declined', expires_at }, now)).toBe('ALREADY_ANSWERED');
    expect(answerRefusal({ status: 'accepted', expires_at }, now)).toBe('ALREADY_ANSWERED');
  });

  it('computes the acceptance rate in percent with one decimal', () => {
    expect(acceptanceRate(6, 10)).toBe(60);
    expect(acceptanceRate(1, 3)).toBe(33.3);
    expect(acceptanceRate(2, 3)).toBe(66.7);
    expect(acceptanceRate(0, 0)).toBe(0);
  });

  it('schedules the reminder a lead before expiry, or not at all for short-lived invitations', () => {
    const created = at('2030-01-01T00:00:00Z');
    expect(reminderDueAt(created, at('2030-01-08T00:00:00Z'), 48 * 3_600_000)).toEqual(at('2030-01-06T00:00:00Z'));
    expect(reminderDueAt(created, at('2030-01-02T00:00:00Z'), 48 * 3_600_000)).toBeNull();
  });

  it('puts the state in one word: a closed event’s pending invitation, an accepted one by its seat', () => {
    expect(invitationState('pending', null, true)).toBe('pending');
    expect(invitationState('pending', null, false)).toBe('event_closed');
    expect(invitationState('expired', null, true)).toBe('expired');
    expect(invitationState('declined', null, true)).toBe('declined');
    expect(invitationState('cancelled', null, false)).toBe('cancelled');
    expect(invitationState('accepted', null, true)).toBe('accepted_pending');
    expect(invitationState('accepted', 'waitlisted', true)).toBe('accepted_waitlisted');
    expect(invitationState('accepted', 'confirmed', false)).toBe('accepted_confirmed');
  });
});
