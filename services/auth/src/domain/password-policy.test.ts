import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.ts';

describe('passwordProblems', () => {
  it.each(['SecurePass123!', 'newSecurePassword123!', 'Corr3ct-Horse-Battery', 'correct horse battery staple'])(
    'accepts %s',
    (password) => {
      expect(passwordProblems(password, { username: 'newuser', email: 'newuser@example.com' })).toEqual([]);
    },
  );

  it('refuses short passwords with Django’s message and the configured length', () => {
    expect(passwordProblems('Ab1!cd', {})).toContain(
      'This password is too short. It must contain at least 10 characters.',
    );
    expect(passwordProblems('Ab1!cdefgh', {}, { minLength: 12, maxLength: 128 })).toContain(
      'This password is too short. It must contain at least 12 characters.',
    );
  });

  it.each([
    'password',
    'Password123!',
    'P@ssw0rd2024',
    'qwertyuiop',
    'Qwerty123456',
    'letmein!!!!',
    'iloveyou2024',
    'passwordpassword',
    'abcdefghijkl',
    '1234567890',
    'Welcome2025!',
  ])('refuses the common %s', (password) => {
    expect(passwordProblems(password, {})).toContain('This password is too common.');
  });

  it('refuses entirely numeric passwords', () => {
    expect(passwordProblems('48201937561', {})).toContain('This password is entirely numeric.');
  });

  it('refuses passwords with too few different characters', () => {
    expect(passwordProblems('aaaaaaaaaaaa', {})).toContain('This password has too few different characters.');
    expect(passwordProblems('abababababab', {})).toContain('This password has too few different characters.');
  });

  it('refuses passwords built from the person’s own details', () => {
    expect(passwordProblems('jsmith-rocks-2024', { username: 'jsmith' })).toContain(
      'The password is too similar to the username.',
    );
    expect(passwordProblems('Marguerite#2024', { email: 'marguerite@example.com' })).toContain(
      'The password is too similar to the email address.',
    );
    expect(passwordProblems('Wojciechowski!9', { last_name: 'Wojciechowski' })).toContain(
      'The password is too similar to the last name.',
    );
    // Short names are common substrings; they are not held against anyone.
    expect(passwordProblems('Almond-Tree-Forest', { first_name: 'Al' })).toEqual([]);
  });

  it('refuses absurdly long passwords', () => {
    expect(passwordProblems(`Aa1!${'x'.repeat(200)}yz`, {})).toContain(
      'This password is too long. It must contain at most 128 characters.',
    );
  });

  it('reports every problem at once', () => {
    expect(passwordProblems('123456', {})).toEqual([
      'This password is too short. It must contain at least 10 characters.',
      'This password is too common.',
      'This password is entirely numeric.',
    ]);
  });
});
