import { randomUUID } from 'node:crypto';

const REQUEST_ID_MAX_LENGTH = 128;
// The rule of hono's requestId middleware: word characters, '-' and '='.
const UNSAFE = /[^\w\-=]/;

/** The client's X-Request-Id when it is a plain token of sane length, a new UUID otherwise. */
export function newRequestId(given: string | string[] | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  if (value && value.length <= REQUEST_ID_MAX_LENGTH && !UNSAFE.test(value)) return value;
  return randomUUID();
}
