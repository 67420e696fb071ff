import type { MessagePropertyHeaders } from 'amqplib';
import { ATTEMPTS_HEADER } from './attempts.ts';

export const ERROR_HEADER = 'x-convene-error';
export const ERROR_CODE_HEADER = 'x-convene-error-code';
export const FAILED_AT_HEADER = 'x-convene-failed-at';
export const QUEUE_HEADER = 'x-convene-queue';
/** The routing key a message was first delivered with (a wait queue re-routes it by queue name). */
export const ROUTING_KEY_HEADER = 'x-convene-routing-key';

/** AMQP header tables are small; a long message (or a stack someone put in it) must not break the publish. */
const MAX_ERROR_LENGTH = 2_000;

export interface Failure {
  error: unknown;
  attempts: number;
  queue: string;
  routingKey: string;
  at?: Date;
}

/** Headers for a message leaving its queue after a failure: where, when, why, how many times. */
export function failureHeaders(
  original: MessagePropertyHeaders | undefined,
  { error, attempts, queue, routingKey, at = new Date() }: Failure,
): MessagePropertyHeaders {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const headers: MessagePropertyHeaders = {
    ...original,
    [ERROR_HEADER]: describe(error).slice(0, MAX_ERROR_LENGTH),
    [FAILED_AT_HEADER]: at.toISOString(),
    [QUEUE_HEADER]: queue,
    [ATTEMPTS_HEADER]: attempts,
    [ROUTING_KEY_HEADER]: routingKey,
  };
  if (typeof code === 'string') headers[ERROR_CODE_HEADER] = code;
  else delete headers[ERROR_CODE_HEADER];
  return headers;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
