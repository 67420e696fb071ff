import { COMMON_PASSWORDS } from './common-passwords.ts';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, maxLength: 128 };

/** What the person typed elsewhere on the form: a password built from it is guessable. */
export interface PasswordContext {
  username?: string | null;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}

const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiop',
  'azertyuiop',
];
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/**
 * Every reason the password is refused, in the words Django's validators use (the legacy events
 * API's clients show them as they are). An empty list means the password is acceptable.
 * Composition rules ("one upper, one digit") are deliberately absent: length, a common-password
 * check and a similarity check stop the obvious guesses without pushing people to `Password1!`.
 */
export function passwordProblems(
  password: string,
  context: PasswordContext = {},
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < policy.minLength) {
    problems.push(`This password is too short. It must contain at least ${policy.minLength} characters.`);
  }
  if (chars.length > policy.maxLength) {
    problems.push(`This password is too long. It must contain at most ${policy.maxLength} characters.`);
  }
  const similarTo = similarAttribute(password, context);
  if (similarTo) problems.push(`The password is too similar to the ${similarTo}.`);
  if (isCommon(password)) problems.push('This password is too common.');
  if (/^\d+$/.test(password)) problems.push('This password is entirely numeric.');
  if (chars.length > 0 && new Set(chars.map((c) => c.toLowerCase())).size < 5) {
    problems.push('This password has too few different characters.');
  }
  return problems;
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const stem = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const candidates = new Set([lower, stem, deLeet(lower), deLeet(lower).replace(/[^\p{L}]+$/u, '')]);
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (COMMON_PASSWORDS.has(candidate)) return true;
    if (candidate.length >= 4 && isRepeatOfCommon(candidate)) return true;
  }
  return SEQUENCES.some((seq) => lower.length >= 4 && (seq.includes(lower) || seq.includes(stem)));
}

/** "passwordpassword", "qwertyqwerty": a common word said twice is still that word. */
function isRepeatOfCommon(candidate: string): boolean {
  for (let size = 2; size <= candidate.length / 2; size++) {
    if (candidate.length % size !== 0) continue;
    const unit = candidate.slice(0, size);
    if (unit.repeat(candidate.length / size) === candidate && (COMMON_PASSWORDS.has(unit) || size <= 3)) return true;
  }
  return false;
}

function deLeet(value: string): string {
  return [...value].map((c) => LEET[c] ?? c).join('');
}

function similarAttribute(password: string, context: PasswordContext): string | null {
  const lower = password.toLowerCase();
  const emailLocal = context.email?.split('@')[0];
  const attributes: Array<[string, string | null | undefined, number]> = [
    ['username', context.username, 3],
    ['email address', emailLocal, 3],
    ['first name', context.first_name, 4],
    ['last name', context.last_name, 4],
  ];
  for (const [label, raw, minLength] of attributes) {
    const value = raw?.trim().toLowerCase();
    if (!value || value.length < minLength) continue;
    if (lower.includes(value) || (lower.length >= minLength && value.includes(lower))) return label;
  }
  return null;
}
