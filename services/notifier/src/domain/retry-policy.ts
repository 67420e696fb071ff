/** How a failed SMTP attempt is treated: try again later, or give up on this address. */
export type FailureKind = 'transient' | 'permanent';

export interface SmtpFailureFacts {
  /** SMTP reply code when the server answered (nodemailer's `responseCode`). */
  responseCode?: number;
  /** nodemailer / socket error code: ECONNECTION, ETIMEDOUT, EENVELOPE, ... */
  code?: string;
}

/**
 * A 5xx reply is the server refusing this message for good (unknown mailbox, policy). Everything
 * else — no connection, timeouts, 4xx "try later", TLS trouble — is an outage to wait out.
 */
export function classifySmtpFailure({ responseCode }: SmtpFailureFacts): FailureKind {
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return 'permanent';
  return 'transient';
}

export interface RetryPolicy {
  /** Wait before attempt 2, 3, ...; the last one repeats. */
  delaysMs: readonly number[];
  maxAttempts: number;
}

/**
 * After `attempts` failed tries: when to try next, or null when the delivery is dead. A little
 * jitter (up to 10 %, from `random`) keeps replicas from retrying an outage in lockstep.
 */
export function nextAttemptAt(
  attempts: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const base = policy.delaysMs[Math.min(attempts - 1, policy.delaysMs.length - 1)] ?? 0;
  return new Date(now.getTime() + Math.round(base * (1 + random() * 0.1)));
}
