import { isDuplicateKey, modelOn } from '@convene/kit';
import type { Connection, InferSchemaType, Model } from 'mongoose';
import { Schema } from 'mongoose';

/**
 * Failed sign-ins counted per key ("acct:<name>", "ip:<address>") in fixed windows. Kept in the
 * database, not in memory, so every replica sees the same count.
 */
const LoginFailureSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    window_ends_at: { type: Date, required: true },
  },
  { collection: 'login_failures', versionKey: false },
);
// The sweeper deletes finished windows.
LoginFailureSchema.index({ window_ends_at: 1 }, { name: 'window_ends' });

type LoginFailureDoc = InferSchemaType<typeof LoginFailureSchema> & { _id: string };

export interface FailureCount {
  key: string;
  count: number;
  window_ends_at: Date;
}

export interface LoginFailureStore {
  model: Model<LoginFailureDoc>;
  /** Current windows of these keys (finished windows are left out). */
  current(keys: string[], now: Date): Promise<FailureCount[]>;
  record(key: string, windowMs: number, now: Date): Promise<void>;
  clear(key: string): Promise<void>;
  sweep(now: Date): Promise<number>;
}

export function loginFailureStore(connection: Connection): LoginFailureStore {
  const model = modelOn<LoginFailureDoc>(connection, 'LoginFailure', LoginFailureSchema);

  async function increment(key: string, now: Date): Promise<boolean> {
    const result = await model.updateOne({ _id: key, window_ends_at: { $gt: now } }, { $inc: { count: 1 } });
    return result.matchedCount > 0;
  }

  return {
    model,

    async current(keys, now) {
      const docs = await model.find({ _id: { $in: keys }, window_ends_at: { $gt: now } }).lean<LoginFailureDoc[]>();
      return docs.map((d) => ({ key: d._id, count: d.count, window_ends_at: d.window_ends_at }));
    },

    async record(key, windowMs, now) {
      if (await increment(key, now)) return;
      try {
        // No open window: start one (replacing a finished one). A concurrent starter wins the
        // insert race and we count into its window instead.
        await model.updateOne(
          { _id: key, window_ends_at: { $lte: now } },
          { $set: { count: 1, window_ends_at: new Date(now.getTime() + windowMs) } },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await increment(key, now);
      }
    },

    async clear(key) {
      await model.deleteOne({ _id: key });
    },

    async sweep(now) {
      const result = await model.deleteMany({ window_ends_at: { $lte: now } });
      return result.deletedCount;
    },
  };
}
