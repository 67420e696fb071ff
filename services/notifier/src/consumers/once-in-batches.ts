import { randomUUID } from 'node:crypto';
import { once } from '@convene/bus';
import type { Connection } from 'mongoose';
import { coalesce } from '../store/coalesce.ts';
import { insertNewAt } from '../store/insert-new.ts';

const PROCESSED = 'processed_messages';
const LEASE_MS = 30_000;

interface Marker {
  _id: string;
  state: 'processing' | 'done';
  token: string;
  lease_until: Date | null;
  started_at: Date;
  done_at?: Date;
}

/**
 * The bus's `once` (same marker documents, `<consumer>:<envelope id>` in processed_messages, same
 * states and lease), with its two writes per message batched across the messages handled at the
 * same time: the "processing" markers of a burst go in one insertMany, the "done" marks in one
 * bulk write. Only the first-time path is batched: a marker that exists already (a redelivery, a
 * crashed holder, another replica at work) is handed to the bus's `once`, which decides (done →
 * skip, lease over → take over, else AlreadyProcessingError).
 */
export function onceInBatches(connection: Connection, now: () => Date = () => new Date()) {
  const markers = connection.collection<Marker>(PROCESSED);
  const claim = coalesce((docs: Marker[]) => insertNewAt(markers, docs));
  const finish = coalesce(async (done: Array<{ key: string; token: string }>) => {
    const at = now();
    await markers.bulkWrite(
      done.map(({ key, token }) => ({
        updateOne: {
          filter: { _id: key, token },
          update: { $set: { state: 'done' as const, done_at: at, lease_until: null } },
        },
      })),
      { ordered: false },
    );
    return done.map(() => undefined);
  });

  return async function onceBatched(
    consumer: string,
    envelopeId: string,
    fn: () => Promise<unknown>,
  ): Promise<boolean> {
    const key = `${consumer}:${envelopeId}`;
    const token = randomUUID();
    const started = now();
    const claimed = await claim({
      _id: key,
      state: 'processing',
      token,
      lease_until: new Date(started.getTime() + LEASE_MS),
      started_at: started,
    });
    if (!claimed) return once(connection, consumer, envelopeId, fn, { leaseMs: LEASE_MS, now });
    try {
      await fn();
    } catch (err) {
      await markers.deleteOne({ _id: key, token });
      throw err;
    }
    await finish({ key, token });
    return true;
  };
}
