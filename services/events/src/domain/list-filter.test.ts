import { describe, expect, it } from 'vitest';
import { mergeRange, parseListQuery } from './list-filter.ts';

const now = new Date('2030-01-01T12:00:00Z');

describe('parseListQuery', () => {
  it('reads the legacy events API names: organizer, date_after/before as whole days, has_spots, is_past, ordering=-date', () => {
    const { filter } = parseListQuery(
      { organizer: 'u1', date_after: '2030-06-01', date_before: '2030-06-30', has_spots: 'true', ordering: '-date' },
      now,
    );
    expect(filter).toMatchObject({
      hostId: 'u1',
      hasSpots: true,
      start: { gte: new Date('2030-06-01T00:00:00Z'), lt: new Date('2030-07-01T00:00:00Z') },
      ordering: { field: 'start_time', direction: -1 },
    });
  });

  it('folds several bounds on one field into the strictest', () => {
    const { filter } = parseListQuery(
      { date_after: '2030-06-01', start_after: '2030-06-10T08:00:00Z', is_past: 'false' },
      now,
    );
    expect(filter!.start).toEqual({ gte: new Date('2030-06-10T08:00:00Z'), gt: now });
    expect(mergeRange({ lte: new Date(5) }, { lte: new Date(3), lt: new Date(9) })).toEqual({
      lte: new Date(3),
      lt: new Date(9),
    });
  });

  it('takes the legacy participation API ranges on start_time and end_time', () => {
    const { filter } = parseListQuery({ start_after: '2030-01-02', end_before: '2030-01-03T00:00:00+02:00' }, now);
    expect(filter).toMatchObject({
      start: { gte: new Date('2030-01-02T00:00:00Z') },
      end: { lte: new Date('2030-01-02T22:00:00Z') },
    });
  });

  it('turns search and location into index terms and lowercases an exact title', () => {
    const { filter } = parseListQuery({ search: 'Python  CONF!', location: 'New York', title: 'Django Conf' }, now);
    expect(filter).toMatchObject({
      searchTerms: ['python', 'conf'],
      locationTerms: ['new', 'york'],
      title: 'django conf',
    });
  });

  it('names every bad parameter', () => {
    const { errors } = parseListQuery(
      { has_spots: 'maybe', date_after: '2030-02-30', ordering: 'price', is_active: 'yes' },
      now,
    );
    expect(Object.keys(errors!).sort()).toEqual(['date_after', 'has_spots', 'ordering']);
    expect(errors!.ordering![0]).toMatch(/not one of/);
  });
});
