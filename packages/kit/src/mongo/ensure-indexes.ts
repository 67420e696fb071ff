import type { Model } from 'mongoose';

/**
 * Waits until every model's indexes exist. Uses `Model.init()` (the same promise autoIndex starts)
 * so a boot never builds the same index twice at once, then retries a build that lost a race to
 * create its collection: mongo-java-server answers a concurrent implicit collection creation (two
 * processes indexing one fresh database) with "already existed in …system.namespaces", where real
 * MongoDB just succeeds. Index builds are idempotent, so trying again is always safe.
 */
// biome-ignore lint/suspicious/noExplicitAny: any model, whatever its document type
export async function ensureIndexes(models: Model<any>[], attempts = 3): Promise<void> {
  for (const model of models) {
    for (let attempt = 1; ; attempt++) {
      try {
        await model.init();
        await model.createIndexes();
        break;
      } catch (err) {
        if (attempt >= attempts || !/already existed/.test(String((err as Error)?.message))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }
}
