import { normaliseEmail } from '@convene/domain-kit';
import { activeTraceparent } from '@convene/kit';
import type { Attempt, DeliveryDoc, DeliveryStatus } from './delivery-model.ts';
import type { Store } from './store.ts';

export type NewDelivery = Pick<
  DeliveryDoc,
  '_id' | 'template' | 'category' | 'essential' | 'recipient' | 'source' | 'data' | 'inbox_links'
>;

/**
 * Writes deliveries that do not exist yet; a key that exists (redelivered event, another replica
 * got there first) is skipped by the unique _id. Resolves with the deliveries written now. With
 * `claim`, they are written already claimed by that sender (its token, until `claim.until`), so it
 * can send them at once without claiming them from the log; if it dies first, the claim runs out
 * and any replica's sweep takes them.
 */
export async function queueDeliveries(
  store: Store,
  deliveries: NewDelivery[],
  now: Date,
  claim?: { token: string; until: Date },
): Promise<DeliveryDoc[]> {
  if (deliveries.length === 0) return [];
  // The send, now or after a retry, continues the trace of what caused the mail (the consumer).
  const traceparent = activeTraceparent() ?? null;
  const docs: DeliveryDoc[] = deliveries.map((d) => ({
    ...d,
    status: 'queued' as const,
    attempts: 0,
    attempt_log: [],
    last_error: null,
    provider_message_id: null,
    next_attempt_at: now,
    lease_until: claim ? claim.until : new Date(0),
    lease_token: claim ? claim.token : null,
    created_at: now,
    updated_at: now,
    sent_at: null,
    traceparent,
  }));
  const written = await Promise.all(docs.map((d) => store.batch.insertDelivery(d)));
  return docs.filter((_, i) => written[i]);
}

/**
 * Claims up to `batch` due deliveries for `token` until `now + leaseMs`. The candidates are read
 * first, then taken with one conditional update each (status still queued, lease over), so two
 * replicas claiming at once never get the same delivery; what this one got is read back by token.
 */
export async function claimDueDeliveries(
  store: Store,
  { now, batch, leaseMs, token }: { now: Date; batch: number; leaseMs: number; token: string },
): Promise<DeliveryDoc[]> {
  const due = { status: 'queued', next_attempt_at: { $lte: now }, lease_until: { $lte: now } };
  const candidates = await store.deliveries
    .find(due, { _id: 1 })
    .sort({ next_attempt_at: 1 })
    .limit(batch)
    .lean<Array<{ _id: string }>>();
  if (candidates.length === 0) return [];
  await store.deliveries.updateMany(
    { ...due, _id: { $in: candidates.map((c) => c._id) } },
    { $set: { lease_token: token, lease_until: new Date(now.getTime() + leaseMs) } },
  );
  return store.deliveries.find({ lease_token: token, status: 'queued' }).lean<DeliveryDoc[]>();
}

interface Outcome {
  now: Date;
  token: string;
}

/**
 * SMTP accepted it. Only the holder of the claim records (a lease taken over meanwhile wins).
 * Written in batches with the other deliveries accepted meanwhile (one bulk write for many).
 */
export function recordSent(
  store: Store,
  id: string,
  { now, token, messageId }: Outcome & { messageId: string | null },
): Promise<void> {
  return store.batch.markSent({ id, token, now, messageId });
}

/** A failed attempt: queued again at `retryAt`, or `failed` (refused) / `dead` (out of attempts). */
export async function recordFailure(
  store: Store,
  id: string,
  {
    now,
    token,
    status,
    retryAt,
    error,
    responseCode,
  }: Outcome & { status: DeliveryStatus; retryAt: Date | null; error: string; responseCode: number | null },
): Promise<boolean> {
  const outcome: Attempt['outcome'] = status === 'queued' ? 'retry' : status === 'failed' ? 'failed' : 'dead';
  const attempt: Attempt = { at: now, outcome, error, response_code: responseCode };
  const updated = await store.deliveries.updateOne(
    { _id: id, lease_token: token },
    {
      $set: {
        status,
        last_error: error,
        updated_at: now,
        lease_token: null,
        lease_until: now,
        ...(retryAt ? { next_attempt_at: retryAt } : {}),
      },
      $inc: { attempts: 1 },
      $push: { attempt_log: { $each: [attempt], $slice: -50 } },
    },
  );
  return updated.modifiedCount === 1;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  recipient?: string;
  template?: string;
}

export async function listDeliveries(
  store: Store,
  filter: DeliveryFilter,
  { skip, limit }: { skip: number; limit: number },
): Promise<{ count: number; results: DeliveryDoc[] }> {
  const query: Record<string, unknown> = {};
  if (filter.status) query.status = filter.status;
  if (filter.recipient) query['recipient.email'] = normaliseEmail(filter.recipient);
  if (filter.template) query.template = filter.template;
  const [count, results] = await Promise.all([
    store.deliveries.countDocuments(query),
    store.deliveries.find(query).sort({ created_at: -1, _id: 1 }).skip(skip).limit(limit).lean<DeliveryDoc[]>(),
  ]);
  return { count, results };
}

/** Gives claimed deliveries back to the log, due now (a sender that stops or pauses). */
export async function releaseClaims(store: Store, ids: string[], token: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await store.deliveries.updateMany(
    { _id: { $in: ids }, lease_token: token, status: 'queued' },
    { $set: { lease_token: null, lease_until: now, next_attempt_at: now } },
  );
}

/** Mail sent to this address while it had no account, that makes an inbox entry. */
export function deliveriesAwaitingAccount(store: Store, email: string): Promise<DeliveryDoc[]> {
  return store.deliveries
    .find({ 'recipient.email': email, 'recipient.user_id': null, inbox_links: { $ne: null } })
    .sort({ created_at: -1 })
    .limit(1_000)
    .lean<DeliveryDoc[]>();
}
