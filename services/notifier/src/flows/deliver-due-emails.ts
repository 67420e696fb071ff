import { randomUUID } from 'node:crypto';
import { instanceId, type Logger } from '@convene/kit';
import { classifySmtpFailure, nextAttemptAt, type RetryPolicy } from '../domain/retry-policy.ts';
import { type ComposeOptions, composeMail } from '../mail/compose.ts';
import type { MailError, Mailer } from '../mail/mailer.ts';
import { claimDueDeliveries, recordFailure, recordSent, releaseClaims } from '../store/deliveries.ts';
import type { DeliveryDoc } from '../store/delivery-model.ts';
import type { Store } from '../store/store.ts';

export interface SenderDeps {
  store: Store;
  mailer: Mailer;
  compose: ComposeOptions;
  retry: RetryPolicy;
  now: () => Date;
  logger: Logger;
  batch: number;
  concurrency: number;
  leaseMs: number;
  /** Told the outcome of every attempt (the service's emails counter). */
  countOutcome?: (outcome: keyof SendReport) => void;
}

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
  dead: number;
}

/**
 * The sender: claims due deliveries a batch at a time (a lease, so replicas share the work and a
 * crashed one's claims are picked up after SEND_LEASE_MS), mails them `concurrency` at once, and
 * records each attempt. A refused address (5xx) is `failed` and holds up nothing; an outage is
 * retried with backoff until it is over or the delivery runs out of attempts (`dead`). Keeps
 * going while whole batches come back, so a burst is drained in one run.
 */
export async function deliverDueEmails(deps: SenderDeps): Promise<SendReport> {
  const report: SendReport = { sent: 0, retried: 0, failed: 0, dead: 0 };
  for (;;) {
    const token = randomUUID();
    const claimed = await claimDueDeliveries(deps.store, {
      now: deps.now(),
      batch: deps.batch,
      leaseMs: deps.leaseMs,
      token,
    });
    if (claimed.length === 0) break;
    let outage = false;
    await inParallel(claimed, deps.concurrency, async (delivery) => {
      const outcome = await deliverOne(deps, delivery, token);
      report[outcome]++;
      if (outcome === 'retried') outage = true;
    });
    // During an outage, one batch per run: the rest wait for their own next attempt.
    if (outage || claimed.length < deps.batch) break;
  }
  return report;
}

export interface SendAtOnce {
  /** The claim to write new deliveries with, or undefined when they should wait for the sweep instead. */
  claim(): { token: string; until: Date } | undefined;
  /** Deliveries written with `claim()`'s claim: sent from here, `concurrency` at once. */
  take(deliveries: DeliveryDoc[]): void;
  /** Stops taking; what was still waiting is given back to the log (claims released). */
  stop(): Promise<void>;
}

/**
 * The fast path of the sender: a delivery this replica has just written already claimed (see
 * queueDeliveries) is mailed from memory straight away, with no round trip to claim it from the
 * log. What does not fit (more than `maxWaiting` waiting), waited too long (half its lease gone,
 * so the claim could run out mid-send), or arrives during an outage (after a transient failure,
 * until the first retry delay has passed) is left to the sweep, which claims from the log.
 */
export function sendAtOnce(deps: SenderDeps & { maxWaiting: number }): SendAtOnce {
  // One claim for the life of this replica's sender: the delivery log names who holds what.
  const token = instanceId();
  const waiting: DeliveryDoc[] = [];
  let active = 0;
  let stopped = false;
  let pausedUntil = 0;
  let idle: (() => void) | null = null;

  const giveBack = (deliveries: DeliveryDoc[]) => {
    if (deliveries.length === 0) return Promise.resolve();
    return releaseClaims(
      deps.store,
      deliveries.map((d) => d._id),
      token,
      deps.now(),
    ).catch((err) => deps.logger.warn({ err }, 'claims not released; they run out by themselves'));
  };
  const sendOne = async (delivery: DeliveryDoc) => {
    if (deps.now().getTime() > delivery.lease_until.getTime() - deps.leaseMs / 2) return giveBack([delivery]);
    try {
      const outcome = await deliverOne(deps, delivery, token);
      if (outcome === 'retried') {
        pausedUntil = deps.now().getTime() + (deps.retry.delaysMs[0] ?? 0);
        await giveBack(waiting.splice(0));
      }
    } catch (err) {
      // Not recorded (the database went away): the claim runs out and the sweep sends it again.
      deps.logger.error({ err, delivery: delivery._id }, 'delivery outcome not recorded');
    }
  };
  const pump = () => {
    while (active < deps.concurrency && waiting.length > 0) {
      const delivery = waiting.shift()!;
      active++;
      void sendOne(delivery).finally(() => {
        active--;
        if (active === 0 && waiting.length === 0) idle?.();
        pump();
      });
    }
  };
  return {
    claim() {
      if (stopped || waiting.length >= deps.maxWaiting || deps.now().getTime() < pausedUntil) return undefined;
      return { token, until: new Date(deps.now().getTime() + deps.leaseMs) };
    },
    take(deliveries) {
      if (stopped) return void giveBack(deliveries);
      waiting.push(...deliveries);
      pump();
    },
    async stop() {
      stopped = true;
      await giveBack(waiting.splice(0));
      if (active > 0) await new Promise<void>((resolve) => (idle = resolve));
    },
  };
}

async function deliverOne(deps: SenderDeps, delivery: DeliveryDoc, token: string): Promise<keyof SendReport> {
  const outcome = await attemptDelivery(deps, delivery, token);
  deps.countOutcome?.(outcome);
  return outcome;
}

async function attemptDelivery(deps: SenderDeps, delivery: DeliveryDoc, token: string): Promise<keyof SendReport> {
  let mail: ReturnType<typeof composeMail>;
  try {
    mail = composeMail(delivery, deps.compose);
  } catch (err) {
    await recordFailure(deps.store, delivery._id, {
      now: deps.now(),
      token,
      status: 'failed',
      retryAt: null,
      error: `cannot render: ${(err as Error).message}`.slice(0, 1000),
      responseCode: null,
    });
    deps.logger.error({ err, delivery: delivery._id }, 'delivery cannot be rendered');
    return 'failed';
  }
  try {
    const { messageId } = await deps.mailer.send(mail, { traceparent: delivery.traceparent });
    await recordSent(deps.store, delivery._id, { now: deps.now(), token, messageId });
    return 'sent';
  } catch (raw) {
    const err = raw as MailError;
    const responseCode = typeof err.responseCode === 'number' ? err.responseCode : null;
    const kind = classifySmtpFailure({ responseCode: responseCode ?? undefined, code: err.code });
    const attempts = delivery.attempts + 1;
    const retryAt = kind === 'transient' ? nextAttemptAt(attempts, deps.retry, deps.now()) : null;
    const status = kind === 'permanent' ? 'failed' : retryAt ? 'queued' : 'dead';
    const error = [err.code, err.message].filter(Boolean).join(': ').slice(0, 1000);
    await recordFailure(deps.store, delivery._id, { now: deps.now(), token, status, retryAt, error, responseCode });
    deps.logger.warn(
      { delivery: delivery._id, attempts, status, error, next_attempt_at: retryAt },
      status === 'queued' ? 'email not sent, will retry' : 'email not sent, giving up',
    );
    return status === 'queued' ? 'retried' : status === 'failed' ? 'failed' : 'dead';
  }
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  });
  await Promise.all(workers);
}
