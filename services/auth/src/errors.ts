import {
  AppError,
  type FieldErrors,
  forbidden,
  notFound,
  tooManyRequests,
  unauthorized,
  validationError,
} from '@convene/kit';
import type { InvitationProblem } from './domain/invitation.ts';

/** Every error code this service answers with, in one place (clients may rely on them). */
export const Code = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  LOGIN_THROTTLED: 'LOGIN_THROTTLED',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  USER_INACTIVE: 'USER_INACTIVE',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  USER_NOT_INVITED: 'USER_NOT_INVITED',
  CONCURRENT_UPDATE: 'CONCURRENT_UPDATE',
  INVITATION_TOKEN_INVALID: 'INVITATION_TOKEN_INVALID',
  INVITATION_EXPIRED: 'INVITATION_EXPIRED',
  INVITATION_USED: 'INVITATION_USED',
  INVITATION_REPLACED: 'INVITATION_REPLACED',
  INVITATION_REVOKED: 'INVITATION_REVOKED',
} as const;

// Messages the legacy events and participation APIs' clients show as they are, verbatim (Django REST Framework's words).
/** The message for every failed sign-in, whatever the reason (no account enumeration). */
export const INVALID_CREDENTIALS = 'No active account found with the given credentials';
export const PASSWORDS_DIFFER = "Password fields didn't match.";
export const OLD_PASSWORD_WRONG = 'Old password is not correct';

export type UniqueField = 'username' | 'email';

export const DUPLICATE_MESSAGES: Record<UniqueField, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email already exists.',
};

export const invalidCredentials = () => unauthorized(INVALID_CREDENTIALS, Code.INVALID_CREDENTIALS);
export const loginThrottled = (retryAfterSec: number) =>
  tooManyRequests(retryAfterSec, 'Too many failed login attempts. Try again later.', Code.LOGIN_THROTTLED);
export const invalidRefreshToken = (
  code: typeof Code.REFRESH_TOKEN_INVALID | typeof Code.REFRESH_TOKEN_REUSED = Code.REFRESH_TOKEN_INVALID,
) => unauthorized('Token is invalid or expired', code);
export const userInactive = () => unauthorized('User not found or inactive.', Code.USER_INACTIVE);
export const userNotFound = () => notFound('User not found.', Code.USER_NOT_FOUND);
export const notAnActiveAdmin = () => forbidden();
export const userNotInvited = (status: 'active' | 'disabled') =>
  new AppError(
    400,
    Code.USER_NOT_INVITED,
    status === 'active'
      ? 'This user has already set a password.'
      : 'This user is inactive; activate it before resending the invitation.',
  );
/** Optimistic concurrency lost three times in a row: `what` changed meanwhile. */
export const concurrentUpdate = (what: 'account' | 'profile' | 'user' | 'invitation') =>
  new AppError(
    409,
    Code.CONCURRENT_UPDATE,
    what === 'invitation'
      ? 'The invitation changed at the same time; try again.'
      : `The ${what} was changed at the same time; try again.`,
  );

const INVITATION_PROBLEMS: Record<InvitationProblem, { status: 404 | 410; code: string; detail: string }> = {
  unknown: { status: 404, code: Code.INVITATION_TOKEN_INVALID, detail: 'Invalid invitation link.' },
  expired: {
    status: 410,
    code: Code.INVITATION_EXPIRED,
    detail: 'This invitation has expired. Ask an administrator to resend it.',
  },
  used: { status: 410, code: Code.INVITATION_USED, detail: 'This invitation has already been used.' },
  replaced: {
    status: 410,
    code: Code.INVITATION_REPLACED,
    detail: 'This invitation link is no longer valid; a newer one was sent.',
  },
  revoked: { status: 410, code: Code.INVITATION_REVOKED, detail: 'This invitation has been withdrawn.' },
};

/** Why a set-password link does not work (unknown: 404; expired, used, replaced, withdrawn: 410). */
export function invitationProblem(problem: InvitationProblem): AppError {
  const { status, code, detail } = INVITATION_PROBLEMS[problem];
  return new AppError(status, code, detail);
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

/** A username or email already belongs to someone (checked first, and by the unique index on a race). */
export class DuplicateUserError extends Error {
  override readonly name = 'DuplicateUserError';
  readonly fields: UniqueField[];
  constructor(fields: UniqueField[]) {
    super(`duplicate ${fields.join(', ')}`);
    this.fields = fields;
  }
}

/** The first admin cannot be created as asked (CLI and BOOTSTRAP_ADMIN_*: a message for the operator, no HTTP). */
export class AdminSetupError extends Error {
  override readonly name = 'AdminSetupError';
}
