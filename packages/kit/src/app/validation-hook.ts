import type { Hook } from '@hono/zod-openapi';
import type { z } from 'zod';
import { describeFields, type FieldErrors, validationError } from '../errors/app-error.ts';

const targetNames: Record<string, string> = {
  json: 'request body',
  form: 'form data',
  query: 'query parameters',
  param: 'path parameters',
  header: 'headers',
  cookie: 'cookies',
};

/**
 * The defaultHook of every kit app: a failed zod validation becomes a 400 problem with
 * `errors: {field: [messages]}`. Unknown fields (strict schemas) are named one by one.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its env and input
export const validationHook: Hook<any, any, any, any> = function rejectInvalidInput(result, c) {
  // The json target runs without a JSON content type only for a required body (optional ones skip
  // it): the body is missing, which is said as such; an empty patch must not pass as `{}`.
  if (result.target === 'json' && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw validationError(
      { non_field_errors: ['A JSON request body is required.'] },
      'Invalid request body: a JSON body is required.',
    );
  }
  if (result.success) return;
  const input = (result as { data?: unknown }).data;
  const errors = zodErrorsToFields(result.error, input);
  throw validationError(errors, describeFields(`Invalid ${targetNames[result.target] ?? result.target}`, errors));
};

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\b/i;

/** Zod issues → DRF-style field errors; issues about the whole object go under `non_field_errors`. */
export function zodErrorsToFields(error: z.ZodError, input?: unknown): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: PropertyKey[], message: string) => {
    const key = path.length ? path.map(String).join('.') : 'non_field_errors';
    const messages = errors[key] ?? [];
    errors[key] = messages;
    if (!messages.includes(message)) messages.push(message);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'Unknown field.');
    } else if (issue.code === 'invalid_type' && input !== undefined && valueAt(input, issue.path) === undefined) {
      add(issue.path, 'This field is required.');
    } else {
      add(issue.path, issue.message);
    }
  }
  return errors;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
