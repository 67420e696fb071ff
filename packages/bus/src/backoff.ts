export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * Reconnect delay for the n-th attempt (1-based): exponential growth capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so a broker restart does not bring every service
 * back in the same millisecond, while the delay still grows with each failure.
 */
export function backoffDelay(attempt: number, { initialMs, maxMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
