/** Failed attempts so far, written by the bus on every retry and dead-letter. */
export const ATTEMPTS_HEADER = 'x-convene-attempts';

/**
 * How many times this message has already failed in `queue`. Counted two ways, the larger wins:
 * our own header, and the broker's `x-death` entries for expiries from this queue's wait queues.
 * The header alone is the reliable one on every broker: RabbitMQ 3.13.0–3.13.2 stopped counting
 * `x-death` entries that a client republished, and 4.x treats x-headers as the broker's own.
 */
export function failedAttempts(headers: Record<string, unknown> | undefined, queue: string): number {
  const own = Number(headers?.[ATTEMPTS_HEADER] ?? 0);
  const waitQueuePrefix = `${queue}.retry.`;
  let expiries = 0;
  const deaths: unknown = headers?.['x-death'];
  if (Array.isArray(deaths)) {
    for (const death of deaths as Array<{ queue?: unknown; reason?: unknown; count?: unknown }>) {
      if (death.reason === 'expired' && typeof death.queue === 'string' && death.queue.startsWith(waitQueuePrefix)) {
        expiries += Number(death.count ?? 1);
      }
    }
  }
  return Math.max(Number.isFinite(own) ? own : 0, expiries);
}
