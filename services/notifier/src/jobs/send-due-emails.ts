import { everyAndWhenNudged, type Logger, type NudgedJob } from '@convene/kit';

/**
 * The sender's schedule: a sweep every `intervalMs` (retries that came due, another replica's
 * expired claims) plus a nudge whenever a consumer queued something, so a new email leaves at once.
 * Several replicas may run it together: the claims in the delivery log keep them apart.
 */
export function sendDueEmails({
  run,
  intervalMs,
  enabled,
  logger,
}: {
  run: () => Promise<unknown>;
  intervalMs: number;
  enabled: boolean;
  logger: Logger;
}): NudgedJob {
  return everyAndWhenNudged({ name: 'send-emails', intervalMs, enabled, logger, run });
}
