import { type DomainEvent, envelope } from '@convene/contracts';
import { displayName, snapshotOf, type User } from '../domain/user.ts';

export const SOURCE = 'auth';

export interface InvitationFacts {
  /** The admin who sent it; null for none (kept in the contract for invitations without one). */
  invitedBy: User | null;
  setPasswordUrl: string;
  expiresAt: Date;
  resend: boolean;
}

/**
 * The user.* envelopes. Flows build them (never routes or the store) and hand them to the store,
 * which writes them into the account's outbox in the same update as the change they announce.
 * `now` is the service clock, so a test that moves it moves the envelopes' `time` too.
 */
export const announce = {
  registered(user: User, now: Date): DomainEvent<'user.registered'> {
    return envelope({ type: 'user.registered', source: SOURCE, subject: user.id, time: now, data: snapshotOf(user) });
  },

  updated(user: User, changed: string[], now: Date): DomainEvent<'user.updated'> {
    return envelope({
      type: 'user.updated',
      source: SOURCE,
      subject: user.id,
      time: now,
      data: { ...snapshotOf(user), changed },
    });
  },

  activated(user: User, now: Date): DomainEvent<'user.activated'> {
    return envelope({ type: 'user.activated', source: SOURCE, subject: user.id, time: now, data: snapshotOf(user) });
  },

  deactivated(user: User, now: Date): DomainEvent<'user.deactivated'> {
    return envelope({ type: 'user.deactivated', source: SOURCE, subject: user.id, time: now, data: snapshotOf(user) });
  },

  invited(user: User, facts: InvitationFacts, now: Date): DomainEvent<'user.invited'> {
    const by = facts.invitedBy;
    return envelope({
      type: 'user.invited',
      source: SOURCE,
      subject: user.id,
      time: now,
      data: {
        ...snapshotOf(user),
        invited_by: by ? { user_id: by.id, email: by.email, name: displayName(by) } : null,
        set_password_url: facts.setPasswordUrl,
        expires_at: facts.expiresAt.toISOString(),
        resend: facts.resend,
      },
    });
  },
};
