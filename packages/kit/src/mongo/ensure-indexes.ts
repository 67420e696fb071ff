/** What is needed of a mongoose model here; any model, whatever its document type, has it. */
export interface IndexedModel {
  createCollection(): Promise<unknown>;
  createIndexes(): Promise<unknown>;
}

export interface EnsureIndexesOptions {
  /** How many times one model's collection and indexes are tried before the error is thrown. */
  attempts?: number;
  /** Pause before the second attempt; doubles each time. */
  backoffMs?: number;
}

/**
 * Creates every model's collection and indexes, and resolves once they exist.
 *
 * This is the only place a service builds indexes: `connectMongo` turns mongoose's `autoCreate`
 * and `autoIndex` off, because those run in the background on first use and cache their first
 * failure for the life of the model. Here each model is tried afresh until it succeeds or runs out
 * of attempts, which matters on mongo-java-server: two processes creating the same fresh
 * collection at once get "already existed in …system.namespaces" from it, where real MongoDB just
 * succeeds. Creating a collection and an index are both idempotent, so trying again is safe.
 */
export async function ensureIndexes(
  models: IndexedModel[],
  { attempts = 6, backoffMs = 50 }: EnsureIndexesOptions = {},
): Promise<void> {
  for (const model of models) {
    for (let attempt = 1; ; attempt++) {
      try {
        await createCollection(model);
        await model.createIndexes();
        break;
      } catch (err) {
        if (attempt >= attempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
      }
    }
  }
}

async function createCollection(model: IndexedModel): Promise<void> {
  try {
    await model.createCollection();
  } catch (err) {
    if (!alreadyExists(err)) throw err;
  }
}

/** NamespaceExists (48) from MongoDB, or mongo-java-server's wording for the same thing. */
function alreadyExists(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === 48 || (typeof message === 'string' && /already exist/i.test(message));
}
