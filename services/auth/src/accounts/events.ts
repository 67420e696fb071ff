import { type DomainEvent, envelope } from '@convene/contracts';
import { snapshotOf, type User } from '../domain/user.ts';

export const SOURCE = 'auth';

export function userRegistered(user: User): DomainEvent<'user.registered'> {
  return envelope({ type: 'user.registered', source: SOURCE, subject: user.id, data: snapshotOf(user) });
}

export function userUpdated(user: User, changed: string[]): DomainEvent<'user.updated'> {
  return envelope({ type: 'user.updated', source: SOURCE, subject: user.id, data: { ...snapshotOf(user), changed } });
}

export function userActivated(user: User): DomainEvent<'user.activated'> {
  return envelope({ type: 'user.activated', source: SOURCE, subject: user.id, data: snapshotOf(user) });
}

export function userDeactivated(user: User): DomainEvent<'user.deactivated'> {
  return envelope({ type: 'user.deactivated', source: SOURCE, subject: user.id, data: snapshotOf(user) });
}

export interface InvitationFacts {
  invitedBy: { user_id: string; email: string; name: string } | null;
  setPasswordUrl: string;
  expiresAt: Date;
  resend: boolean;
}

export function userInvited(user: User, facts: InvitationFacts): DomainEvent<'user.invited'> {
  return envelope({
    type: 'user.invited',
    source: SOURCE,
    subject: user.id,
    data: {
      ...snapshotOf(user),
      invited_by: facts.invitedBy,
      set_password_url: facts.setPasswordUrl,
      expires_at: facts.expiresAt.toISOString(),
      resend: facts.resend,
    },
  });
}
