import { describe, expect, it } from 'vitest';
import { type IndexInfo, servingIndexes } from './support/index-coverage.ts';

const ix = (key: Record<string, number>, extra: Partial<IndexInfo> = {}): IndexInfo => ({
  name: Object.entries(key)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_'),
  key,
  ...extra,
});

/** The index-list check the queries-use-indexes test falls back to where the server has no explain. */
describe('servingIndexes (the check without explain)', () => {
  const byAthenB = ix({ a: 1, b: 1 });
  const withId = ix({ a: 1, b: 1, _id: 1 });

  it('wants equality fields first, then the sort keys in index order, in one direction', () => {
    expect(servingIndexes({ a: 1 }, { b: 1 }, [byAthenB])).toEqual(['a_1_b_1']);
    expect(servingIndexes({ a: 1 }, { b: -1 }, [byAthenB])).toEqual(['a_1_b_1']);
    expect(servingIndexes({ a: { $in: [1, 2] }, x: 3 }, { b: 1 }, [byAthenB])).toEqual(['a_1_b_1']);
    expect(servingIndexes({ a: 1 }, { b: -1, _id: -1 }, [withId])).toEqual(['a_1_b_1__id_1']);
    // A first key the query names is not enough: the order must come from the index too.
    expect(servingIndexes({ a: 1 }, { c: 1 }, [byAthenB])).toBeUndefined();
    expect(servingIndexes({ a: 1 }, { b: 1, _id: 1 }, [byAthenB])).toBeUndefined();
    expect(servingIndexes({ a: 1 }, { b: 1, _id: -1 }, [withId])).toBeUndefined();
    expect(servingIndexes({ a: 1 }, { _id: 1, b: 1 }, [withId])).toBeUndefined();
  });

  it('needs the read bounded: by equality on the first keys, or a range on the first key', () => {
    expect(servingIndexes({ b: 1 }, {}, [byAthenB])).toBeUndefined();
    expect(servingIndexes({ a: { $gt: 1 } }, {}, [byAthenB])).toEqual(['a_1_b_1']);
    expect(servingIndexes({ a: { $gt: 1 } }, { a: 1 }, [byAthenB])).toEqual(['a_1_b_1']);
    // A range then another order: every match would be sorted in memory.
    expect(servingIndexes({ a: { $gt: 1 } }, { b: 1 }, [byAthenB])).toBeUndefined();
    // Walking a whole index for its order, unbounded, is a scan.
    expect(servingIndexes({ c: 1 }, { a: 1 }, [byAthenB])).toBeUndefined();
    expect(servingIndexes({ a: { $ne: 1 } }, {}, [byAthenB])).toBeUndefined();
  });

  it('takes a point lookup (every index key an equality of the query) whatever the sort', () => {
    const byId = ix({ _id: 1 });
    expect(servingIndexes({ _id: { $in: ['e1', 'e2'] } }, { start_time: 1 }, [byId])).toEqual(['_id_1']);
    expect(
      servingIndexes({ event_id: 'e1', user_key: 'u1', status: 'x' }, {}, [ix({ event_id: 1, user_key: 1 })]),
    ).toEqual(['event_id_1_user_key_1']);
  });

  it('serves an $or only when every branch, with the shared conditions, has an index', () => {
    const indexes = [ix({ v: 1, t: 1 }), ix({ h: 1, t: 1 })];
    const query = { d: null, $or: [{ v: 'public' }, { h: 'u1' }] };
    expect(servingIndexes(query, { t: 1 }, indexes)).toEqual(['v_1_t_1', 'h_1_t_1']);
    expect(servingIndexes({ ...query, $or: [...query.$or, { c: 'u1' }] }, { t: 1 }, indexes)).toBeUndefined();
    // A shared condition with an index of its own serves the whole query.
    expect(servingIndexes({ ...query, s: 'x' }, {}, [ix({ s: 1 })])).toEqual(['s_1']);
  });

  it('never uses a sparse index for a field wanted null or missing', () => {
    const sparse = ix({ deleted_at: 1 }, { sparse: true });
    expect(servingIndexes({ deleted_at: null }, {}, [sparse])).toBeUndefined();
    expect(servingIndexes({ deleted_at: { $exists: false } }, {}, [sparse])).toBeUndefined();
    expect(servingIndexes({ deleted_at: { $exists: true } }, {}, [sparse])).toEqual(['deleted_at_1']);
    expect(servingIndexes({ deleted_at: null }, {}, [ix({ deleted_at: 1 })])).toEqual(['deleted_at_1']);
  });
});
