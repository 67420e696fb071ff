import { describe, expect, it } from 'vitest';
import { transitionFor } from './bulk-action.ts';
import type { User } from './user.ts';

const user = (overrides: Partial<User>): User => ({
  id: 'u1',
  username: 'u',
  email: 'u@example.com',
  first_name: '',
  last_name: '',
  role: 'user',
  status: 'active',
  password_hash: '$argon2id$...',
  invitation: null,
  timezone: null,
  locale: null,
  created_at: new Date(0),
  updated_at: new Date(0),
  last_login_at: null,
  ...overrides,
});

describe('bulk status transitions', () => {
  it('deactivates active and invited accounts, but not one’s own or already disabled ones', () => {
    expect(transitionFor('deactivate', user({}), 'admin')).toEqual({
      kind: 'change',
      to: 'disabled',
      event: 'user.deactivated',
    });
    expect(transitionFor('deactivate', user({ status: 'invited', password_hash: null }), 'admin')).toEqual({
      kind: 'change',
      to: 'disabled',
      event: 'user.deactivated',
    });
    expect(transitionFor('deactivate', user({}), 'u1')).toEqual({
      kind: 'skip',
      reason: 'You cannot deactivate your own account.',
    });
    expect(transitionFor('deactivate', user({ status: 'disabled' }), 'admin')).toEqual({
      kind: 'skip',
      reason: 'User is already inactive.',
    });
  });

  it('activates disabled accounts; one without a password goes back to invited', () => {
    expect(transitionFor('activate', user({ status: 'disabled' }), 'admin')).toEqual({
      kind: 'change',
      to: 'active',
      event: 'user.activated',
    });
    expect(transitionFor('activate', user({ status: 'disabled', password_hash: null }), 'admin')).toEqual({
      kind: 'change',
      to: 'invited',
      event: 'user.updated',
    });
    expect(transitionFor('activate', user({}), 'admin')).toEqual({ kind: 'skip', reason: 'User is already active.' });
    expect(transitionFor('activate', user({ status: 'invited', password_hash: null }), 'admin')).toEqual({
      kind: 'skip',
      reason: 'User has not set a password yet; resend the invitation instead.',
    });
  });
});
