import type { UserSnapshot } from '@convene/contracts';
import type { z } from 'zod';
import type { ProfilePreferences } from './profile-preferences.ts';

export type Role = 'user' | 'admin';
export type UserStatus = 'invited' | 'active' | 'disabled';
export const ROLES: readonly Role[] = ['user', 'admin'];
export const USER_STATUSES: readonly UserStatus[] = ['invited', 'active', 'disabled'];

/** The pending set-password link of an invited account (only its hash is ever stored). */
export interface PendingInvitation {
  token_hash: string;
  expires_at: Date;
  sent_at: Date;
  invited_by: string | null;
  send_count: number;
}

export interface User extends ProfilePreferences {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  invitation: PendingInvitation | null;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

export const USERNAME_MAX_LENGTH = 150;
/** Django's username alphabet, so usernames made under the legacy APIs keep working. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}@.+\-_]+$/u;
export const USERNAME_HINT =
  'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.';

/** Uniqueness key for usernames: "Alice" and "alice" are the same account name. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/**
 * Auth's uniqueness key for account emails (not the cross-service `email:<address>` person key of
 * @convene/domain-kit): the whole address compared case-insensitively. Providers differ on
 * whether the local part is case-sensitive; treating it as insensitive errs toward refusing a
 * look-alike second account, which is what people expect.
 */
export function emailLookupKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/** What the token's `name` claim and other services greet people with. */
export function displayName(user: Pick<User, 'first_name' | 'last_name' | 'username'>): string {
  return `${user.first_name} ${user.last_name}`.trim() || user.username;
}

export function snapshotOf(user: User): z.infer<typeof UserSnapshot> {
  return {
    user_id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    role: user.role,
    status: user.status,
    timezone: user.timezone,
    locale: user.locale,
  };
}

/** Only active accounts with a password can sign in or keep a session. */
export function canSignIn(user: Pick<User, 'status' | 'password_hash'>): boolean {
  return user.status === 'active' && user.password_hash !== null;
}

/** Fields a profile update may change. */
export const PROFILE_FIELDS = ['username', 'email', 'first_name', 'last_name', 'timezone', 'locale'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The profile fields whose value actually changes (for `user.updated.changed`); null is a value (it clears). */
export function changedFields(user: User, patch: Partial<Record<ProfileField, string | null>>): ProfileField[] {
  return PROFILE_FIELDS.filter((field) => patch[field] !== undefined && patch[field] !== user[field]);
}
