import type { Connection } from 'mongoose';
import { isDuplicateKey } from './duplicate-key.ts';

interface LeaseDoc {
  _id: string;
  holder: string | null;
  until: Date;
  last_run_at: Date | null;
}

export interface Leases {
  /**
   * Takes lease `name` for `holder` until now + `ttlMs` when nobody holds it. `minIntervalMs`
   * also spaces scheduled runs: a run that finished less than that ago counts as "not due".
   */
  acquire(name: string, holder: string, options: { ttlMs: number; minIntervalMs?: number }): Promise<boolean>;
  /** Extends a lease still held by `holder` (long runs); false when it was lost. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up; `ran` records the run so `minIntervalMs` counts from now. */
  release(name: string, holder: string, options: { ran: boolean }): Promise<void>;
}

export interface LeasesOptions {
  /** Collection of the lease documents (default `leases`). */
  collection?: string;
  now?: () => Date;
}

/** Named job leases: at most one holder at a time across replicas and the CLI. */
export function leasesOn(
  connection: Connection,
  { collection = 'leases', now = () => new Date() }: LeasesOptions = {},
): Leases {
  const leases = connection.collection<LeaseDoc>(collection);
  return {
    async acquire(name, holder, { ttlMs, minIntervalMs }) {
      const at = now();
      try {
        await leases.updateOne(
          { _id: name },
          { $setOnInsert: { holder: null, until: new Date(0), last_run_at: null } },
          { upsert: true },
        );
      } catch (err) {
        // two replicas upserting the first time: one insert wins, the other sees E11000
        if (!isDuplicateKey(err)) throw err;
      }
      const filter: Record<string, unknown> = { _id: name, until: { $lt: at } };
      if (minIntervalMs) {
        filter.$or = [{ last_run_at: null }, { last_run_at: { $lte: new Date(at.getTime() - minIntervalMs) } }];
      }
      const taken = await leases.updateOne(filter, { $set: { holder, until: new Date(at.getTime() + ttlMs) } });
      return taken.modifiedCount === 1;
    },
    async renew(name, holder, ttlMs) {
      const renewed = await leases.updateOne(
        { _id: name, holder },
        { $set: { until: new Date(now().getTime() + ttlMs) } },
      );
      return renewed.matchedCount === 1;
    },
    async release(name, holder, { ran }) {
      await leases.updateOne(
        { _id: name, holder },
        { $set: { holder: null, until: new Date(0), ...(ran ? { last_run_at: now() } : {}) } },
      );
    },
  };
}
