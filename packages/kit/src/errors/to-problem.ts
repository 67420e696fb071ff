import { STATUS_CODES } from 'node:http';
import type { Problem } from '@convene/contracts';
import { ErrorCode, isAppError } from './app-error.ts';

export interface ProblemReply {
  status: number;
  body: Problem & Record<string, unknown>;
  headers: Record<string, string>;
  /** True when the error was not one we raised on purpose: log it with its stack. */
  unexpected: boolean;
}

const codeForStatus: Record<number, string> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.NOT_READY,
};

/** How the MongoDB driver and mongoose say the database cannot be reached right now. */
const DATABASE_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * True for errors that mean "the database is away", not "this request is wrong": no server could
 * be selected, the network to it failed, or mongoose gave up waiting for a connection
 * ("buffering timed out"). Told apart by name, since several copies of the driver may be loaded.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, message } = err as { name?: unknown; message?: unknown };
  if (typeof name === 'string' && DATABASE_UNREACHABLE.has(name)) return true;
  return name === 'MongooseError' && typeof message === 'string' && message.includes('buffering timed out');
}

/**
 * The single place where anything thrown becomes an HTTP answer (RFC 9457 problem details).
 * AppError-shaped errors keep their status and code; Hono's HTTPException (raised by its
 * validators and middleware) keeps its status; a database that cannot be reached is a 503 with
 * Retry-After, so clients and the gateway know to try again; everything else is a 500 that
 * reveals nothing.
 */
export function toProblem(err: unknown, requestId?: string): ProblemReply {
  if (isAppError(err)) {
    const { errors, headers, ...members } = err.extras ?? {};
    return reply(err.status, err.code, err.detail, { ...members, ...(errors ? { errors } : {}) }, headers, requestId);
  }
  if (isHttpException(err)) {
    const status = err.status;
    const detail = err.message || STATUS_CODES[status] || 'Error';
    const code = codeForStatus[status] ?? `HTTP_${status}`;
    return { ...reply(status, code, withFullStop(detail), {}, undefined, requestId), unexpected: status >= 500 };
  }
  if (isDatabaseUnavailable(err)) {
    const detail = 'The service cannot reach its database right now; try again shortly.';
    return reply(503, ErrorCode.DATABASE_UNAVAILABLE, detail, {}, { 'Retry-After': '5' }, requestId);
  }
  return { ...reply(500, ErrorCode.INTERNAL, 'Internal server error.', {}, undefined, requestId), unexpected: true };
}

function reply(
  status: number,
  code: string,
  detail: string,
  members: Record<string, unknown>,
  headers: Record<string, string> | undefined,
  requestId: string | undefined,
): ProblemReply {
  const body: ProblemReply['body'] = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...members,
    ...(requestId ? { request_id: requestId } : {}),
  };
  return { status, body, headers: { ...headers }, unexpected: status >= 500 };
}

interface HttpExceptionLike {
  status: number;
  message: string;
  getResponse(): Response;
}

function isHttpException(err: unknown): err is HttpExceptionLike {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  return typeof e.status === 'number' && typeof e.getResponse === 'function';
}

function withFullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
