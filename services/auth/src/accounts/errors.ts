import { AppError, type FieldErrors, unauthorized, validationError } from '@convene/kit';
import type { UniqueField } from '../store/users.ts';

/** Seed 003's message for every failed sign-in, whatever the reason (no account enumeration). */
export const INVALID_CREDENTIALS = 'No active account found with the given credentials';

export const DUPLICATE_MESSAGES: Record<UniqueField, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email already exists.',
};

export function invalidCredentials(): AppError {
  return unauthorized(INVALID_CREDENTIALS, 'INVALID_CREDENTIALS');
}

export function invalidRefreshToken(code = 'REFRESH_TOKEN_INVALID'): AppError {
  return unauthorized('Token is invalid or expired', code);
}

export function userNotFound(): AppError {
  return new AppError(404, 'USER_NOT_FOUND', 'User not found.');
}

export function duplicateErrors(fields: UniqueField[]): FieldErrors {
  return Object.fromEntries(fields.map((field) => [field, [DUPLICATE_MESSAGES[field]]]));
}

/** Adds messages to a field-errors object. */
export function addError(errors: FieldErrors, field: string, ...messages: string[]): void {
  if (messages.length === 0) return;
  errors[field] = [...(errors[field] ?? []), ...messages];
}

export function throwIfAny(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw validationError(errors);
}
