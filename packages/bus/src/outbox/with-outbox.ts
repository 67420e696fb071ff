import type { DomainEvent } from '@convene/contracts';

type Update = Record<string, unknown>;

const OUTBOX_PATHS = ['outbox', 'outbox_at'];

/**
 * Adds envelopes to a state-changing update: `$push` onto `outbox` and `outbox_at` raised to
 * now, merged with the update's own operators, so the change and its events are one atomic write.
 * Top-level plain fields are treated as `$set`, as mongoose does.
 *
 * `$max` rather than `$set` for `outbox_at`: null (nothing pending) or an older time becomes now,
 * but a relay's lease (a later time) is kept, so a write landing while one relay publishes this
 * document does not make it claimable by another relay at once. The relay that holds it sees the
 * new envelopes when it finishes and makes the document due again.
 */
export function withOutbox<U extends Update>(update: U, envelopes: readonly DomainEvent[], now = new Date()): U {
  if (Array.isArray(update)) throw new TypeError('withOutbox: aggregation-pipeline updates are not supported');
  if (envelopes.length === 0) return update;
  const merged: Update = {};
  const plainFields: Update = {};
  for (const [key, value] of Object.entries(update)) {
    if (key.startsWith('$')) merged[key] = value;
    else plainFields[key] = value;
  }
  for (const [operator, fields] of Object.entries(merged)) {
    const touched = Object.keys((fields ?? {}) as object).filter((path) =>
      OUTBOX_PATHS.some((p) => path === p || path.startsWith(`${p}.`)),
    );
    if (touched.length > 0) throw new TypeError(`withOutbox: the update already uses ${operator} on ${touched}`);
  }
  if (OUTBOX_PATHS.some((p) => p in plainFields)) throw new TypeError('withOutbox: the update already sets the outbox');
  merged.$push = { ...(merged.$push as Update | undefined), outbox: { $each: [...envelopes] } };
  if (Object.keys(plainFields).length > 0) merged.$set = { ...plainFields, ...(merged.$set as Update | undefined) };
  merged.$max = { ...(merged.$max as Update | undefined), outbox_at: now };
  return merged as U;
}
