import { describe, expect, it } from 'vitest';
import { changedFields, displayName, emailLookupKey, USERNAME_PATTERN, type User, usernameKey } from './user.ts';

describe('user rules', () => {
  it('compares emails and usernames case-insensitively', () => {
    expect(emailLookupKey(' Alice@Example.COM ')).toBe('alice@example.com');
    expect(emailLookupKey('bob@example.com')).not.toBe(emailLookupKey('alice@example.com'));
    expect(usernameKey('Alice')).toBe('alice');
    expect(usernameKey('ALICE')).toBe(usernameKey('alice'));
    // Compatibility forms (full-width letters) fold to the same name; different names stay apart.
    expect(usernameKey('Ａｌｉｃｅ')).toBe('alice');
    expect(usernameKey('alice')).not.toBe(usernameKey('alicia'));
  });

  it('allows Django’s username alphabet only', () => {
    expect(USERNAME_PATTERN.test('john.doe+events@example.com')).toBe(true);
    expect(USERNAME_PATTERN.test('Zoë_99')).toBe(true);
    expect(USERNAME_PATTERN.test('john doe')).toBe(false);
    expect(USERNAME_PATTERN.test('<script>')).toBe(false);
  });

  it('greets people by name, falling back to the username', () => {
    expect(displayName({ first_name: 'Ada', last_name: 'Lovelace', username: 'ada' })).toBe('Ada Lovelace');
    expect(displayName({ first_name: '', last_name: '', username: 'ada' })).toBe('ada');
  });

  it('names only the profile fields whose value changes', () => {
    const user = { username: 'a', email: 'a@x.io', first_name: 'A', last_name: 'B' } as User;
    expect(changedFields(user, { username: 'a', first_name: 'Z', last_name: undefined })).toEqual(['first_name']);
    expect(changedFields(user, { email: 'b@x.io', last_name: 'C' })).toEqual(['email', 'last_name']);
    expect(changedFields(user, {})).toEqual([]);
    const zoned = { ...user, timezone: 'Europe/Kyiv', locale: null } as User;
    expect(changedFields(zoned, { timezone: 'Europe/Kyiv', locale: 'en-GB' })).toEqual(['locale']);
    expect(changedFields(zoned, { timezone: null, locale: null })).toEqual(['timezone']);
  });
});
