import type { Connection } from 'mongoose';

type Filter = Record<string, unknown>;
interface IndexInfo {
  name: string;
  key: Record<string, number>;
  sparse?: boolean;
}

export interface Coverage {
  /** 'explain': the server's query plan was read; 'indexes': the server has no explain, so the
   * index list was checked instead. */
  method: 'explain' | 'indexes';
  /** The stages of the winning plan (explain) or the index whose prefix serves each branch. */
  detail: string[];
}

/**
 * Whether MongoDB can answer `filter` (sorted by `sort`) without a collection scan.
 *
 * Where the server implements `explain` (real MongoDB), the winning plan must contain no
 * COLLSCAN stage. mongo-java-server has no `explain` (it answers "no such command", code 59);
 * there the check falls back to the index list: some index must have as its first key a field
 * the filter constrains (for an $or, every branch must be so served). A sparse index does not
 * count for a field the filter wants null or missing, since MongoDB cannot use it for that.
 */
export async function coverage(
  connection: Connection,
  collection: string,
  filter: Filter,
  sort: Record<string, 1 | -1> = {},
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
  const served = servedBranches(filter, sort, indexes);
  return { method: 'indexes', detail: served ?? ['COLLSCAN'] };
}

function collectStages(plan: unknown): string[] {
  if (!plan || typeof plan !== 'object') return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node.stage === 'string' ? [node.stage] : [];
  const children = [node.inputStage, ...((node.inputStages as unknown[]) ?? []), node.queryPlan].flatMap(collectStages);
  return [...own, ...children];
}

function isNullish(condition: unknown): boolean {
  if (condition === null) return true;
  if (condition && typeof condition === 'object') {
    const c = condition as Record<string, unknown>;
    return ('$exists' in c && c.$exists === false) || ('$eq' in c && c.$eq === null);
  }
  return false;
}

function indexFor(part: Filter, indexes: IndexInfo[]): IndexInfo | undefined {
  return indexes.find((ix) => {
    const first = Object.keys(ix.key)[0]!;
    if (first === '_id' && !('_id' in part)) return false;
    if (!(first in part)) return false;
    return !(ix.sparse && isNullish(part[first]));
  });
}

function servedBranches(filter: Filter, sort: Record<string, 1 | -1>, indexes: IndexInfo[]): string[] | undefined {
  const top = indexFor(filter, indexes);
  if (top) return [top.name];
  if (Array.isArray(filter.$or)) {
    const names = (filter.$or as Filter[]).map((branch) => indexFor(branch, indexes)?.name);
    if (names.every(Boolean)) return names as string[];
  }
  const sortFirst = Object.keys(sort)[0];
  const bySort = sortFirst && indexes.find((ix) => Object.keys(ix.key)[0] === sortFirst);
  return bySort ? [bySort.name] : undefined;
}

export function scans(c: Coverage): boolean {
  return c.detail.includes('COLLSCAN');
}
