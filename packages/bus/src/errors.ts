/**
 * Thrown by a handler when trying again cannot help (the invitation no longer exists, the data
 * contradicts itself): the message goes to the dead-letter queue at once instead of being retried.
 * Recognised by `permanent === true`, so copies of this class from another module instance count.
 */
export class PermanentError extends Error {
  readonly permanent = true;
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PermanentError';
    this.code = options?.code ?? 'PERMANENT_FAILURE';
  }
}

export function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

/** One envelope that was not confirmed by the broker. */
export interface PublishFailure {
  id: string;
  error: Error;
}

/**
 * `bus.publish` could not get every envelope confirmed. The ones in `confirmedIds` did reach the
 * broker (the outbox relay pulls exactly those); the others should be published again later.
 */
export class PublishError extends Error {
  readonly code = 'PUBLISH_FAILED';
  readonly confirmedIds: string[];
  readonly failures: PublishFailure[];
  constructor(confirmedIds: string[], failures: PublishFailure[]) {
    const first = failures[0];
    super(
      `${failures.length} of ${confirmedIds.length + failures.length} messages not confirmed: ${first?.error.message}`,
    );
    this.name = 'PublishError';
    this.confirmedIds = confirmedIds;
    this.failures = failures;
  }
}
