import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { AppError, ErrorCode, isAppError, notFound } from '../errors/app-error.ts';
import { toProblem } from '../errors/to-problem.ts';
import type { Logger } from '../logging/create-logger.ts';
import { type AllowedMethods, methodNotAllowed } from './method-not-allowed.ts';
import { problemResponse } from './problem-response.ts';

/** One onError for the whole app: every thrown thing leaves as problem+json. */
export function handleErrors({ logger }: { logger: Logger }): ErrorHandler {
  return async function problemOnError(err, c) {
    const error = (await explainMalformedJson(err, c)) ?? err;
    if (toProblem(error).unexpected) {
      (c.get('logger') ?? logger).error({ err, request_id: c.get('requestId') }, 'request failed');
    }
    return problemResponse(c, error);
  };
}

/**
 * 404 for a path no route has; 405 with `Allow` for a path that has routes, none for this method
 * (`allowed` says which methods a path has, see method-not-allowed.ts).
 */
export function handleNotFound(allowed?: () => AllowedMethods): NotFoundHandler {
  return function problemNotFound(c) {
    const methods = allowed?.().of(c.req.path);
    if (methods?.length && !methods.includes(c.req.method)) {
      return problemResponse(c, methodNotAllowed(c.req.method, methods));
    }
    return problemResponse(c, notFound());
  };
}

// Hono's JSON validator drops the parser's message; re-parse the cached text so the client
// learns where its JSON broke (DRF says "JSON parse error - ...", clients may show it).
async function explainMalformedJson(err: unknown, c: Context): Promise<AppError | undefined> {
  if (isAppError(err) || !(err instanceof Error) || !err.message.startsWith('Malformed JSON')) return undefined;
  let reason = 'the body is not valid JSON';
  try {
    JSON.parse(await c.req.text());
  } catch (parseError) {
    if (parseError instanceof SyntaxError) reason = parseError.message;
  }
  return new AppError(400, ErrorCode.MALFORMED_JSON, `Malformed JSON in request body: ${reason}.`);
}
