import type { DateRange, ListFilter } from '../domain/list-filter.ts';
import type { EventDoc } from './event-model.ts';
import { eventsCollection, type Store } from './store.ts';

export type MongoFilter = Record<string, unknown>;
export type MongoSort = Record<string, 1 | -1>;

/**
 * Who is listing: anonymous callers see public events; a signed-in user also the invite-only ones
 * they host or co-host, and those in `reachable` (they take part or are invited).
 */
export interface Viewer {
  id: string;
  keys: string[];
  /** Invite-only events the viewer may read without hosting them (eventIdsReachableBy). */
  reachable?: string[];
}

function range(r: DateRange): Record<string, Date> | undefined {
  const out: Record<string, Date> = {};
  if (r.gte) out.$gte = r.gte;
  if (r.gt) out.$gt = r.gt;
  if (r.lte) out.$lte = r.lte;
  if (r.lt) out.$lt = r.lt;
  return Object.keys(out).length ? out : undefined;
}

const orderFields = { start_time: 'start_time', created_at: 'created_at', title: 'title_lc' } as const;

/**
 * The one query shape behind GET /events, /upcoming and /mine. Every predicate has an index
 * whose first key is that field, and every ordering one that yields it (event-model.ts); the
 * visibility $or has one per branch. test/queries-use-indexes.test.ts checks each shape against
 * the server's indexes (or explain).
 */
export function listQuery(
  filter: ListFilter,
  scope: { viewer?: Viewer; only?: 'mine' },
): { query: MongoFilter; sort: MongoSort } {
  const query: MongoFilter = { deleted_at: null };
  const viewer = scope.viewer;
  if (scope.only === 'mine' && viewer) {
    query.$or = [{ host_id: viewer.id }, { cohost_ids: { $in: viewer.keys } }];
  } else if (viewer) {
    const readable: MongoFilter[] = [
      { visibility: 'public' },
      { host_id: viewer.id },
      { cohost_ids: { $in: viewer.keys } },
    ];
    if (viewer.reachable?.length) readable.push({ _id: { $in: viewer.reachable } });
    query.$or = readable;
  } else {
    query.visibility = 'public';
  }
  if (filter.searchTerms) query.search_terms = { $all: filter.searchTerms };
  if (filter.title) query.title_lc = filter.title;
  if (filter.locationTerms) query.location_terms = { $all: filter.locationTerms };
  if (filter.hostId) query.host_id = filter.hostId;
  const start = range(filter.start);
  if (start) query.start_time = start;
  const end = range(filter.end);
  if (end) query.end_time = end;
  if (filter.hasSpots !== undefined) query.seats_left = filter.hasSpots ? { $gt: 0 } : { $lte: 0 };
  if (filter.isActive !== undefined) query.is_active = filter.isActive;
  const field = orderFields[filter.ordering.field];
  return { query, sort: { [field]: filter.ordering.direction, _id: filter.ordering.direction } };
}

export async function listEvents(
  store: Store,
  shape: { query: MongoFilter; sort: MongoSort },
  page: { skip: number; limit: number },
): Promise<{ count: number; results: EventDoc[] }> {
  const [count, results] = await Promise.all([
    store.events.countDocuments(shape.query),
    store.events
      .find(shape.query, listProjection)
      .sort(shape.sort)
      .skip(page.skip)
      .limit(page.limit)
      .lean<EventDoc[]>(),
  ]);
  return { count, results };
}

/** Lists leave out what only the store needs (terms, moves in flight, the outbox). */
export const listProjection = {
  search_terms: 0,
  location_terms: 0,
  txns: 0,
  outbox: 0,
} as const;

/** One event that is not deleted, by id (served by `_id`). */
export const oneEventQuery = (id: string) => ({ _id: id, deleted_at: null });

/**
 * On the driver, not mongoose: the read of every event page and of most writes, where mongoose's
 * query building and casting cost more than the round trip (the id is a string, nothing to cast).
 */
export async function findEvent(store: Store, id: string): Promise<EventDoc | null> {
  return eventsCollection(store).findOne(oneEventQuery(id), { projection: listProjection });
}

/** The event by id as stored, deleted or not (the promoter re-reads its counters with it). */
export async function eventById(store: Store, id: string): Promise<EventDoc | null> {
  return store.events.findById(id).lean<EventDoc>();
}
