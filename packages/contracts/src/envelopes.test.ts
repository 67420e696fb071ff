import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvelopeError, envelope, eventNames, parseEnvelope } from './index.ts';

/** What `fn` threw (the test fails if it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return expect.unreachable('expected it to throw');
}

const invitee = { user_id: null, email: 'ann@example.com', name: 'Ann' };
const host = { user_id: 'u1', email: 'host@example.com', name: 'Host' };

describe('envelope', () => {
  it('builds a CloudEvents envelope whose data was checked against the catalogue', () => {
    const e = envelope({
      type: 'invitation.accepted',
      source: 'invitations',
      subject: 'inv1',
      data: {
        invitation_id: 'inv1',
        event_id: 'ev1',
        event_title: 'Launch',
        event_start_time: '2030-01-01T10:00:00.000Z',
        invitee,
        invited_by: host,
        role: 'attendee',
        is_vip: true,
        bypass_capacity: true,
        phone: null,
        accepted_at: '2029-12-01T10:00:00.000Z',
      },
    });
    expect(e.specversion).toBe('1.0');
    expect(e.dataschema).toBe('urn:convene:event:invitation.accepted:v1');
    expect(parseEnvelope(JSON.parse(JSON.stringify(e)))).toEqual(e);
  });

  it('refuses data that does not fit the schema of its type, with the ZodError naming each field', () => {
    const err = thrown(() =>
      envelope({ type: 'feedback.submitted', source: 'feedback', subject: 'f', data: { rating: 9 } as never }),
    );
    expect(err).toBeInstanceOf(z.ZodError);
    const issues = (err as z.ZodError).issues;
    expect(issues).toContainEqual(expect.objectContaining({ path: ['rating'], code: 'too_big', maximum: 5 }));
    for (const missing of ['feedback_id', 'event_id', 'author', 'comment', 'submitted_at']) {
      expect(issues).toContainEqual(expect.objectContaining({ path: [missing], code: 'invalid_type' }));
    }
  });

  it('rejects unknown types and malformed data on the way in, naming what is wrong', () => {
    const base = envelope({
      type: 'user.activated',
      source: 'auth',
      subject: 'u1',
      data: {
        user_id: 'u1',
        username: 'ann',
        email: 'ann@example.com',
        first_name: '',
        last_name: '',
        role: 'user',
        status: 'active',
      },
    });
    const unknown = thrown(() => parseEnvelope({ ...base, type: 'user.exploded' }));
    expect(unknown).toBeInstanceOf(EnvelopeError);
    expect(unknown).toMatchObject({
      code: 'INVALID_ENVELOPE',
      message: 'unknown event type "user.exploded"',
      issues: [],
    });

    const badData = thrown(() => parseEnvelope({ ...base, data: { ...base.data, email: 'nope' } }));
    expect(badData).toBeInstanceOf(EnvelopeError);
    expect(badData).toMatchObject({
      code: 'INVALID_ENVELOPE',
      message: expect.stringMatching(/^user\.activated data: /),
    });
    expect((badData as EnvelopeError).issues.map((issue) => issue.path)).toEqual([['email']]);

    const badId = thrown(() => parseEnvelope({ ...base, id: 'not-a-uuid' }));
    expect(badId).toBeInstanceOf(EnvelopeError);
    expect(badId).toMatchObject({ code: 'INVALID_ENVELOPE', message: expect.stringMatching(/^envelope: /) });
    expect((badId as EnvelopeError).issues.map((issue) => issue.path)).toEqual([['id']]);
  });

  it('catalogues every event the platform carries', () => {
    expect(eventNames).toEqual(
      expect.arrayContaining([
        'user.registered',
        'user.updated',
        'user.invited',
        'user.activated',
        'user.deactivated',
        'event.created',
        'event.updated',
        'event.cancelled',
        'event.deleted',
        'event.reminder_due',
        'registration.confirmed',
        'registration.waitlisted',
        'registration.cancelled',
        'registration.rejected',
        'invitation.sent',
        'invitation.resent',
        'invitation.accepted',
        'invitation.declined',
        'invitation.expired',
        'invitation.cancelled',
        'feedback.submitted',
      ]),
    );
  });
});
