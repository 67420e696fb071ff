import type { MessagePropertyHeaders } from 'amqplib';
import { ATTEMPTS_HEADER } from '../attempts.ts';
import {
  ERROR_CODE_HEADER,
  ERROR_HEADER,
  FAILED_AT_HEADER,
  QUEUE_HEADER,
  ROUTING_KEY_HEADER,
} from '../failure-headers.ts';

/** Set on a replayed copy: when, and how many times this message has been replayed so far. */
export const REPLAYED_AT_HEADER = 'x-convene-replayed-at';
export const REPLAYS_HEADER = 'x-convene-replays';

/** Where a dead letter failed, why, and where a replay sends it. */
export interface DeadLetterOrigin {
  /** The work queue that gave up on it; null when the headers do not say (it cannot be replayed). */
  queue: string | null;
  /** The domain-event routing key it was first delivered with. */
  routingKey: string | null;
  reason: string;
  code: string | null;
  failedAt: string | null;
  attempts: number;
  replays: number;
}

interface XDeath {
  queue?: unknown;
  reason?: unknown;
  count?: unknown;
  exchange?: unknown;
  'routing-keys'?: unknown;
  time?: unknown;
}

/**
 * Two ways into a DLQ: the bus moved it there (a handler kept failing, a permanent error, an
 * invalid envelope) and wrote its `x-convene-*` headers; or the broker did, when a work queue's
 * delivery limit ran out (a consumer crashed or never acked), and only its `x-death` entry tells.
 * A message the bus moved after earlier retries carries both; the bus's headers name the last failure.
 */
export function deadLetterOrigin(headers: MessagePropertyHeaders | undefined): DeadLetterOrigin {
  const own = text(headers?.[QUEUE_HEADER]);
  const replays = Number(headers?.[REPLAYS_HEADER] ?? 0);
  const common = { replays: Number.isFinite(replays) ? replays : 0 };
  const limit = deliveryLimitDeath(headers);
  if (own && !limit) {
    return {
      ...common,
      queue: own,
      routingKey: text(headers?.[ROUTING_KEY_HEADER]),
      reason: text(headers?.[ERROR_HEADER]) ?? 'no reason recorded',
      code: text(headers?.[ERROR_CODE_HEADER]),
      failedAt: text(headers?.[FAILED_AT_HEADER]),
      attempts: Number(headers?.[ATTEMPTS_HEADER] ?? 0) || 0,
    };
  }
  if (limit) {
    const keys = Array.isArray(limit['routing-keys']) ? limit['routing-keys'].map(text) : [];
    const queue = text(limit.queue);
    // Delivered from a wait queue, the routing key is the work queue's name: the bus's header has the real one.
    const routingKey = text(headers?.[ROUTING_KEY_HEADER]) ?? keys.find((key) => key !== null && key !== queue) ?? null;
    return {
      ...common,
      queue,
      routingKey,
      reason: `the delivery limit ran out: delivered ${Number(limit.count ?? 1)} time(s) without an ack (a consumer crashed or hung)`,
      code: 'DELIVERY_LIMIT',
      failedAt: deathTime(limit)?.toISOString() ?? null,
      attempts: Number(headers?.[ATTEMPTS_HEADER] ?? 0) || 0,
    };
  }
  return {
    ...common,
    queue: null,
    routingKey: null,
    reason: 'no failure headers',
    code: null,
    failedAt: null,
    attempts: 0,
  };
}

/** The broker's own dead-lettering out of a work queue (x-death, newest first), if that is how it arrived. */
function deliveryLimitDeath(headers: MessagePropertyHeaders | undefined): XDeath | null {
  const deaths: unknown = headers?.['x-death'];
  if (!Array.isArray(deaths)) return null;
  for (const death of deaths as XDeath[]) {
    if (death.reason === 'delivery_limit' || death.reason === 'rejected') {
      // Only when it is newer than the bus's own record (a replayed message that later crashed its consumer).
      const own = text(headers?.[FAILED_AT_HEADER]);
      const at = deathTime(death);
      if (own && at && Date.parse(own) > at.getTime()) return null;
      return death;
    }
  }
  return null;
}

/**
 * The headers a replayed copy goes back to its work queue with: the failure history removed, so
 * the handler gets its full round of retries again (the bus counts attempts from `x-convene-attempts`
 * and the wait queues' `x-death` expiries), and the routing key the handler is chosen by kept.
 */
export function replayHeaders(
  headers: MessagePropertyHeaders | undefined,
  origin: DeadLetterOrigin,
  at: Date,
): MessagePropertyHeaders {
  const kept: MessagePropertyHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.startsWith('x-death') || name.startsWith('x-first-death') || name.startsWith('x-last-death')) continue;
    if ([ERROR_HEADER, ERROR_CODE_HEADER, FAILED_AT_HEADER, QUEUE_HEADER, ATTEMPTS_HEADER].includes(name)) continue;
    kept[name] = value;
  }
  if (origin.routingKey) kept[ROUTING_KEY_HEADER] = origin.routingKey;
  kept[REPLAYED_AT_HEADER] = at.toISOString();
  kept[REPLAYS_HEADER] = origin.replays + 1;
  return kept;
}

/** amqplib decodes an AMQP timestamp (whole seconds) as `{'!': 'timestamp', value}`. */
function deathTime(death: XDeath): Date | null {
  const raw = death.time as { value?: unknown } | number | undefined;
  const seconds = typeof raw === 'object' && raw !== null ? Number(raw.value) : Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}
