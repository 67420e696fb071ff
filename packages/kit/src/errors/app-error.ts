/** Stable, machine-readable codes the kit itself raises. Services add their own (`EVENT_NOT_FOUND`). */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  /** The body's bytes are not what its type says (a text body that is not valid UTF-8). */
  MALFORMED_BODY: 'MALFORMED_BODY',
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID_PAGE: 'INVALID_PAGE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  NOT_READY: 'NOT_READY',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  AUTH_UNAVAILABLE: 'AUTH_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type FieldErrors = Record<string, string[]>;

export interface AppErrorExtras {
  /** Validation errors: field path → messages (DRF shape). */
  errors?: FieldErrors;
  /** Response headers such as Retry-After or WWW-Authenticate; not part of the body. */
  headers?: Record<string, string>;
  /** Anything else is added to the problem body as an extension member. */
  [member: string]: unknown;
}

/**
 * The one error type handlers throw. `onError` turns it into problem+json.
 * Recognised by shape (`isAppError`), never by `instanceof`, so an error built by another copy of
 * the kit (or rebuilt from an upstream problem response) maps the same way.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly extras: AppErrorExtras;

  constructor(status: number, code: string, detail: string, extras: AppErrorExtras = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.extras = extras;
  }

  /** Rebuilds an error from a problem+json body another service answered with, to pass it on. */
  static fromProblem(problem: {
    status: number;
    code?: string;
    detail?: string;
    title?: string;
    errors?: FieldErrors;
  }) {
    const extras: AppErrorExtras = problem.errors ? { errors: problem.errors } : {};
    return new AppError(
      problem.status,
      problem.code ?? `HTTP_${problem.status}`,
      problem.detail ?? problem.title ?? '',
      extras,
    );
  }
}

export interface AppErrorLike {
  name: 'AppError';
  status: number;
  code: string;
  detail: string;
  extras?: AppErrorExtras;
}

export function isAppError(err: unknown): err is AppErrorLike {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  return (
    e.name === 'AppError' &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status <= 599 &&
    typeof e.code === 'string' &&
    typeof e.detail === 'string'
  );
}

export function validationError(errors: FieldErrors, detail = describeFields('Invalid input', errors)): AppError {
  return new AppError(400, ErrorCode.VALIDATION_FAILED, detail, { errors });
}

export function badRequest(detail: string, code: string = ErrorCode.BAD_REQUEST): AppError {
  return new AppError(400, code, detail);
}

export function unauthorized(
  detail = 'Authentication credentials were not provided.',
  code: string = ErrorCode.UNAUTHENTICATED,
): AppError {
  return new AppError(401, code, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="convene"' } });
}

export function forbidden(
  detail = 'You do not have permission to perform this action.',
  code: string = ErrorCode.FORBIDDEN,
): AppError {
  return new AppError(403, code, detail);
}

export function notFound(detail = 'Not found.', code: string = ErrorCode.NOT_FOUND): AppError {
  return new AppError(404, code, detail);
}

export function conflict(detail: string, code: string = ErrorCode.CONFLICT): AppError {
  return new AppError(409, code, detail);
}

export function tooManyRequests(
  retryAfterSec: number,
  detail = `Request was throttled. Expected available in ${Math.ceil(retryAfterSec)} seconds.`,
  code: string = ErrorCode.RATE_LIMITED,
): AppError {
  const seconds = Math.max(0, Math.ceil(retryAfterSec));
  return new AppError(429, code, detail, { headers: { 'Retry-After': String(seconds) }, retry_after: seconds });
}

/** "Invalid input: end_time, title." — names the fields so a log line or a curl user sees them at once. */
export function describeFields(prefix: string, errors: FieldErrors): string {
  const fields = Object.keys(errors);
  return fields.length ? `${prefix}: ${fields.join(', ')}.` : `${prefix}.`;
}
