import type { Connection } from 'mongoose';

type Filter = Record<string, unknown>;
type Sort = Record<string, 1 | -1>;

export interface IndexInfo {
  name: string;
  key: Record<string, number>;
  sparse?: boolean;
}

export interface Coverage {
  /** 'explain': the server's query plan was read; 'indexes': the server has no explain, so the
   * index list was checked instead (see {@link servingIndexes}). */
  method: 'explain' | 'indexes';
  /** The stages of the winning plan (explain), or the index serving each branch ('COLLSCAN' if none). */
  detail: string[];
}

/**
 * Whether MongoDB can answer `filter` (sorted by `sort`) without a collection scan.
 *
 * Where the server implements `explain` (real MongoDB), the winning plan must contain no
 * COLLSCAN stage. mongo-java-server has no `explain` (it answers "no such command", code 59);
 * there the check falls back to the index list ({@link servingIndexes}).
 */
export async function coverage(
  connection: Connection,
  collection: string,
  filter: Filter,
  sort: Sort = {},
): Promise<Coverage> {
  const db = connection.db!;
  try {
    const plan = await db.command({ explain: { find: collection, filter, sort }, verbosity: 'queryPlanner' });
    const stages = collectStages(plan.queryPlanner?.winningPlan);
    return { method: 'explain', detail: stages };
  } catch (err) {
    const { code, message } = err as { code?: number; message?: string };
    if (code !== 59 && !/no such (command|cmd)/i.test(message ?? '')) throw err;
  }
  const indexes = (await db.collection(collection).listIndexes().toArray()) as IndexInfo[];
  return { method: 'indexes', detail: servingIndexes(filter, sort, indexes) ?? ['COLLSCAN'] };
}

function collectStages(plan: unknown): string[] {
  if (!plan || typeof plan !== 'object') return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node.stage === 'string' ? [node.stage] : [];
  const children = [node.inputStage, ...((node.inputStages as unknown[]) ?? []), node.queryPlan].flatMap(collectStages);
  return [...own, ...children];
}

export function scans(c: Coverage): boolean {
  return c.detail.includes('COLLSCAN');
}

/**
 * The index-list check, for a server without `explain`: the names of the indexes that serve the
 * query (one for the whole filter, or one per `$or` branch, each branch with the filter's other
 * conditions), or undefined when some part has none.
 *
 * An index serves a query when a prefix of its keys is some of the query's equality fields (a
 * value, `$eq`, `$in`, `$all`) followed by the sort keys, in index order, each in the index's
 * direction or all reversed: MongoDB then reads only the matching range, already in order, and a
 * page stops after `limit` entries. Without a sort, the prefix of equality fields (or a range on the
 * first key) is enough; an index that neither bounds would be read whole, which is a scan. An index
 * whose keys are all equality fields of the query is a point lookup (a few documents, sorted in
 * memory) and also serves. A sparse index never serves a field the query wants null or missing.
 *
 * What it cannot see: which index the planner picks, and that a sorted `$or` with a point-lookup
 * branch (the signed-in list's reachable invite-only events, `_id: {$in}`) is sorted in memory
 * as a whole on real MongoDB. Explain, where the server has it, is the real check.
 */
export function servingIndexes(filter: Filter, sort: Sort, indexes: IndexInfo[]): string[] | undefined {
  const { $or, ...rest } = filter;
  const whole = indexes.find((ix) => serves(ix, rest, sort));
  if (whole) return [whole.name];
  if (!Array.isArray($or)) return undefined;
  const names = ($or as Filter[]).map((branch) => indexes.find((ix) => serves(ix, { ...rest, ...branch }, sort))?.name);
  return names.every(Boolean) ? (names as string[]) : undefined;
}

function serves(index: IndexInfo, filter: Filter, sort: Sort): boolean {
  const keys = Object.entries(index.key);
  const usable = (field: string) => field in filter && !(index.sparse && isNullish(filter[field]));
  let prefix = 0;
  while (prefix < keys.length && usable(keys[prefix]![0]) && isEquality(filter[keys[prefix]![0]])) prefix++;
  // Bounded: the read starts at the equality prefix, or at a range on the first key.
  const first = keys[0]![0];
  if (prefix === 0 && !(usable(first) && isRange(filter[first]))) return false;
  const order = Object.entries(sort);
  if (order.length === 0 || prefix === keys.length) return true;
  if (prefix + order.length > keys.length) return false;
  const direction = keys[prefix]![1] * order[0]![1];
  return order.every(([field, dir], i) => {
    const [key, keyDir] = keys[prefix + i]!;
    return key === field && keyDir * dir === direction;
  });
}

function operators(condition: unknown): string[] | undefined {
  if (!condition || typeof condition !== 'object' || condition instanceof Date || Array.isArray(condition)) {
    return undefined;
  }
  const ops = Object.keys(condition);
  return ops.length > 0 && ops.every((op) => op.startsWith('$')) ? ops : undefined;
}

function isEquality(condition: unknown): boolean {
  const ops = operators(condition);
  if (!ops) return true; // a value (or a sub-document) to match exactly
  return ops.length === 1 && ['$eq', '$in', '$all'].includes(ops[0]!);
}

function isRange(condition: unknown): boolean {
  const ops = operators(condition);
  if (!ops) return false;
  const exists = (condition as Record<string, unknown>).$exists;
  return ops.every((op) => ['$gt', '$gte', '$lt', '$lte'].includes(op) || (op === '$exists' && exists === true));
}

function isNullish(condition: unknown): boolean {
  if (condition === null) return true;
  if (condition && typeof condition === 'object') {
    const c = condition as Record<string, unknown>;
    return ('$exists' in c && c.$exists === false) || ('$eq' in c && c.$eq === null);
  }
  return false;
}
