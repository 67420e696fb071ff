import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { isDuplicateKey } from '../mongo/duplicate-key.ts';

export const PROCESSED_COLLECTION = 'processed_messages';

export interface OnceOptions {
  /**
   * How long a 'processing' marker holds off other deliveries before one may take over (the
   * holder is presumed dead). Keep it below the bus's total retry time, or a redelivery after a
   * crash can run out of retries while waiting. Default 30000.
   */
  leaseMs?: number;
  /** The clock leases are measured by (tests move it instead of waiting). Default `() => new Date()`. */
  now?: () => Date;
}

/** Someone else is handling this message right now: a transient error, so the bus retries later. */
export class AlreadyProcessingError extends Error {
  readonly code = 'ALREADY_PROCESSING';
  constructor(key: string) {
    super(`${key} is being processed by another consumer`);
    this.name = 'AlreadyProcessingError';
  }
}

interface Marker {
  _id: string;
  state: 'processing' | 'done';
  token: string;
  lease_until: Date | null;
  started_at: Date;
  done_at?: Date;
}

/**
 * Runs `fn` at most once in effect per (consumer, envelope id), using a marker document
 * `<consumer>:<envelope id>` in `processed_messages`. Returns true if `fn` ran now, false if an
 * earlier delivery already completed it. If `fn` throws the marker is removed, so a retry runs
 * it again; if the process dies mid-`fn`, a later delivery takes over once the lease is over.
 */
export async function once(
  connection: Connection,
  consumer: string,
  envelopeId: string,
  fn: () => Promise<unknown>,
  { leaseMs = 30_000, now = () => new Date() }: OnceOptions = {},
): Promise<boolean> {
  const markers = connection.collection<Marker>(PROCESSED_COLLECTION);
  const key = `${consumer}:${envelopeId}`;
  const token = randomUUID();

  const claimed = await claim(markers, key, token, leaseMs, now);
  if (claimed === 'done') return false;

  try {
    await fn();
  } catch (err) {
    await markers.deleteOne({ _id: key, token });
    throw err;
  }
  await markers.updateOne({ _id: key, token }, { $set: { state: 'done', done_at: now(), lease_until: null } });
  return true;
}

async function claim(
  markers: Collection<Marker>,
  key: string,
  token: string,
  leaseMs: number,
  clock: () => Date,
): Promise<'claimed' | 'done'> {
  // Twice: the holder may delete its marker (its fn threw) between our insert and our read.
  for (let round = 0; round < 2; round++) {
    const now = clock();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      await markers.insertOne({ _id: key, state: 'processing', token, lease_until: leaseUntil, started_at: now });
      return 'claimed';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const takenOver = await markers.findOneAndUpdate(
      { _id: key, state: 'processing', lease_until: { $lt: now } },
      { $set: { token, lease_until: leaseUntil, started_at: now } },
    );
    if (takenOver) return 'claimed';
    const existing = await markers.findOne({ _id: key });
    if (existing?.state === 'done') return 'done';
    if (existing) throw new AlreadyProcessingError(key);
  }
  throw new AlreadyProcessingError(key);
}

/** Sweeper for the markers (TTL indexes are not portable): deletes completed ones older than `before`. */
export async function pruneProcessedMessages(connection: Connection, before: Date): Promise<number> {
  const result = await connection
    .collection(PROCESSED_COLLECTION)
    .deleteMany({ state: 'done', done_at: { $lt: before } });
  return result.deletedCount;
}
