import { duplicateKeyIndexes } from '@convene/kit';

type Insertable = { insertMany(docs: never, opts: { ordered: false }): Promise<unknown> };

/**
 * insertMany that tolerates duplicate keys: for each document, whether it was inserted now (a
 * key that exists — a redelivered event, another replica first — is false). A key twice in `docs`
 * is inserted once: only its first place answers true.
 */
export async function insertNewAt<D extends { _id: string }>(collection: Insertable, docs: D[]): Promise<boolean[]> {
  const seen = new Set<string>();
  const unique: Array<{ doc: D; at: number }> = [];
  docs.forEach((doc, at) => {
    if (seen.has(doc._id)) return;
    seen.add(doc._id);
    unique.push({ doc, at });
  });
  const inserted = docs.map(() => false);
  if (unique.length === 0) return inserted;
  try {
    await collection.insertMany(unique.map((u) => u.doc) as never, { ordered: false });
    for (const u of unique) inserted[u.at] = true;
    return inserted;
  } catch (err) {
    const refused = duplicateKeyIndexes(err);
    if (!refused) throw err;
    const failed = new Set(refused);
    unique.forEach((u, i) => {
      if (!failed.has(i)) inserted[u.at] = true;
    });
    return inserted;
  }
}
