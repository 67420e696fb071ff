import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { AppError, isAppError, tooManyRequests, unauthorized, validationError } from './app-error.ts';
import { toProblem } from './to-problem.ts';

describe('toProblem', () => {
  it('maps an AppError to its status, code and detail, extras as members, headers apart', () => {
    const problem = toProblem(
      new AppError(410, 'INVITATION_EXPIRED', 'This invitation has expired.', { expired_at: 'x' }),
      'r1',
    );
    expect(problem).toEqual({
      status: 410,
      body: {
        type: 'about:blank',
        title: 'Gone',
        status: 410,
        detail: 'This invitation has expired.',
        code: 'INVITATION_EXPIRED',
        expired_at: 'x',
        request_id: 'r1',
      },
      headers: {},
      unexpected: false,
    });
  });

  it('recognises an AppError by shape, not instanceof (another copy of the kit, a rebuilt error)', () => {
    const foreign = Object.assign(new Error('nope'), {
      name: 'AppError',
      status: 404,
      code: 'EVENT_NOT_FOUND',
      detail: 'Not found.',
    });
    expect(isAppError(foreign)).toBe(true);
    expect(toProblem(foreign).body).toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
    expect(isAppError({ name: 'AppError', status: 200, code: 'X', detail: '' })).toBe(false);
  });

  it('passes an upstream problem on unchanged', () => {
    const upstream = {
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Invalid input: email.',
      errors: { email: ['Enter a valid email address.'] },
    };
    expect(toProblem(AppError.fromProblem(upstream)).body).toMatchObject(upstream);
  });

  it('carries validation errors, Retry-After and WWW-Authenticate', () => {
    expect(toProblem(validationError({ title: ['This field is required.'] })).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Invalid input: title.',
      errors: { title: ['This field is required.'] },
    });
    expect(toProblem(tooManyRequests(4.2)).headers).toEqual({ 'Retry-After': '5' });
    expect(toProblem(unauthorized()).headers['WWW-Authenticate']).toBe('Bearer realm="convene"');
  });

  it("keeps the status of Hono's HTTPException", () => {
    expect(toProblem(new HTTPException(415, { message: 'Unsupported Media Type' })).body).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      detail: 'Unsupported Media Type.',
    });
  });

  it('hides anything else behind a 500 and flags it for logging', () => {
    const problem = toProblem(new TypeError('cannot read secret of undefined'));
    expect(problem.status).toBe(500);
    expect(problem.unexpected).toBe(true);
    expect(problem.body.detail).toBe('Internal server error.');
    expect(toProblem('a string').status).toBe(500);
  });

  it('answers 503 with Retry-After when the database cannot be reached, whichever layer says so', () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    for (const err of [
      named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'),
      named('MongooseServerSelectionError'),
      named('MongoNetworkError', 'connection 3 to 127.0.0.1:27017 closed'),
      named('MongoNetworkTimeoutError'),
      named('MongoNotConnectedError'),
      named('MongoTopologyClosedError'),
      named('MongoPoolClearedError'),
      named('MongooseError', 'Operation `events.find()` buffering timed out after 10000ms'),
    ]) {
      const problem = toProblem(err, 'r9');
      expect(problem).toMatchObject({
        status: 503,
        headers: { 'Retry-After': '5' },
        unexpected: true,
        body: { code: 'DATABASE_UNAVAILABLE', title: 'Service Unavailable', request_id: 'r9' },
      });
      expect(JSON.stringify(problem.body)).not.toContain('27017');
    }
    // Other driver and mongoose errors are not outages: a duplicate key is a bug or a race to handle.
    expect(toProblem(named('MongoServerError', 'E11000 duplicate key')).status).toBe(500);
    expect(toProblem(named('MongooseError', 'Model.find() no longer accepts a callback')).status).toBe(500);
  });
});
