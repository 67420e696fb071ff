/**
 * Turns one-at-a-time calls into batches: the calls made while a batch is being written (or in
 * the same turn of the event loop) go to the database together in the next one. A burst of
 * messages, each handled on its own, then costs one round trip per step for many of them instead
 * of one each. `run` answers every key, in order; if it throws, every call of that batch rejects
 * (and the bus retries those messages).
 */
export function coalesce<K, R>(
  run: (keys: K[]) => Promise<R[]>,
  { maxBatch = 500, maxInFlight = 2 }: { maxBatch?: number; maxInFlight?: number } = {},
): (key: K) => Promise<R> {
  let waiting: Array<{ key: K; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(maxBatch);
      inFlight++;
      run(batch.map((w) => w.key))
        .then(
          (results) => {
            for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]!);
          },
          (err: unknown) => {
            for (const w of batch) w.reject(err);
          },
        )
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  };

  return function coalesced(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}
