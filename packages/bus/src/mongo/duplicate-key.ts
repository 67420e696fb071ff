/**
 * MongoDB's E11000 — a unique index refused the write — recognised once, for single writes and for
 * bulk writes (insertMany / bulkWrite report one entry per refused document in `writeErrors`).
 */
const DUPLICATE_KEY = 11000;

interface WriteError {
  index?: number;
  code?: unknown;
  err?: { index?: number; code?: unknown };
}

function writeErrorsOf(err: unknown): WriteError[] | undefined {
  const list = (err as { writeErrors?: unknown } | null)?.writeErrors;
  if (Array.isArray(list)) return list as WriteError[];
  return list && typeof list === 'object' ? [list as WriteError] : undefined;
}

const codeOf = (w: WriteError) => w.code ?? w.err?.code;

/** True when a unique index refused the write (every refusal of a bulk write was a duplicate key). */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === DUPLICATE_KEY) return true;
  const errors = writeErrorsOf(err);
  return !!errors && errors.length > 0 && errors.every((w) => codeOf(w) === DUPLICATE_KEY);
}

/**
 * The positions (in the submitted order) of the documents an unordered bulk write refused for a duplicate
 * key; `undefined` when the error is anything else (or a refusal is not a duplicate), so the caller rethrows.
 * A duplicate reported without per-document details (a single insert) is position 0.
 */
export function duplicateKeyIndexes(err: unknown): number[] | undefined {
  if (!isDuplicateKey(err)) return undefined;
  const errors = writeErrorsOf(err);
  if (!errors || errors.length === 0) return [0];
  const indexes: number[] = [];
  for (const w of errors) {
    const index = w.index ?? w.err?.index;
    if (index === undefined) return undefined;
    indexes.push(index);
  }
  return indexes;
}
