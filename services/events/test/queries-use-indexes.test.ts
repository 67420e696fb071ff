import { connectMongo } from '@convene/kit';
import { mongoUrlFor, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListQuery } from '../src/domain/list-filter.ts';
import { listQuery, oneEventQuery } from '../src/store/event-queries.ts';
import { jobQueries } from '../src/store/job-queries.ts';
import { myRegistrationsQuery, participantsQuery } from '../src/store/registration-queries.ts';
import { guardFilter, moveQueries } from '../src/store/seat-moves.ts';
import { createStore, ensureIndexes, type Store } from '../src/store/store.ts';
import { waitlistQueries } from '../src/store/waitlist-positions.ts';
import { type Coverage, coverage, scans } from './support/index-coverage.ts';

/**
 * Every query shape the service issues is answered from an index, never by a collection scan:
 * checked with explain where the server has it, otherwise against the server's index list
 * (see support/index-coverage.ts and docs/events.md).
 */
describe('queries use indexes', () => {
  let mongo: Connection;
  let store: Store;
  const now = new Date('2030-01-01T00:00:00Z');
  beforeAll(async () => {
    mongo = await connectMongo(mongoUrlFor(uniqueName('events')));
    store = createStore(mongo, { now: () => now });
    await ensureIndexes(store);
  });

  /** Says in the test output which check ran: the heuristic proves less than a query plan. */
  function report(what: string, methods: Coverage['method'][]) {
    const used = [...new Set(methods)];
    expect(used).toHaveLength(1);
    if (used[0] === 'indexes') {
      console.warn(
        `${what}: checked against the index list (equality prefix + sort keys), NOT by explain: this server has no explain; run against a real mongod for query plans`,
      );
    } else {
      console.info(`${what}: checked by explain (winning plans without COLLSCAN)`);
    }
  }
  afterAll(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  const listParams: Record<string, string>[] = [
    {},
    { search: 'python' },
    { search: 'python conf', location: 'new york' },
    { title: 'Django Conference' },
    { location: 'Berlin' },
    { host: 'u1' },
    { organizer: 'u1', ordering: '-date' },
    { date_after: '2030-01-01', date_before: '2030-12-31' },
    { start_after: '2030-01-01', end_before: '2030-02-01' },
    { end_after: '2030-01-01' },
    { has_spots: 'true' },
    { has_spots: 'false', ordering: 'title' },
    { is_past: 'true' },
    { is_active: 'false', ordering: '-created_at' },
    { search: 'python', location: 'New York', has_spots: 'true' },
    // The benchmark's shape: page of 20 with two filters.
    { has_spots: 'true', date_after: '2030-01-01' },
  ];
  const orderings = ['date', '-date', 'start_time', 'created_at', '-created_at', 'title', '-title'];
  const viewer = { id: 'u1', keys: ['u1', 'email:u1@example.com'] };

  it('GET /events, /upcoming and /mine for anonymous and signed-in callers, with every filter and ordering', async () => {
    const checked: Coverage['method'][] = [];
    for (const params of [...listParams, ...orderings.map((ordering) => ({ ordering }))]) {
      const parsed = parseListQuery(params, now);
      expect(parsed.errors).toBeUndefined();
      const reader = { ...viewer, reachable: ['e1', 'e2'] };
      for (const scope of [{}, { viewer }, { viewer: reader }, { viewer, only: 'mine' as const }]) {
        const shape = listQuery(parsed.filter!, scope);
        const result = await coverage(mongo, 'events', shape.query, shape.sort);
        expect(scans(result), `${JSON.stringify(shape)} → ${result.detail}`).toBe(false);
        checked.push(result.method);
      }
    }
    expect(checked).toHaveLength((listParams.length + orderings.length) * 4);
    report(`${checked.length} list shapes`, checked);
  });

  it('participants, my registrations and every job query', async () => {
    const shapes: Array<[string, Record<string, unknown>, Record<string, 1 | -1>?]> = [
      ['registrations', participantsQuery('e1', ['confirmed']).query, participantsQuery('e1', ['confirmed']).sort],
      ['registrations', participantsQuery('e1', ['waitlisted']).query, participantsQuery('e1', ['waitlisted']).sort],
      ...(['all', 'active', 'past'] as const).map(
        (scope) =>
          [
            'registrations',
            myRegistrationsQuery(['u1'], scope, now).query,
            myRegistrationsQuery(['u1'], scope, now).sort,
          ] as [string, Record<string, unknown>, Record<string, 1 | -1>],
      ),
      ['events', jobQueries.dueReminders(now, 86_400_000)],
      ['events', jobQueries.endedBefore(now)],
      ['events', jobQueries.deletedEvents()],
      ['events', jobQueries.staleEventMoves(now)],
      ['events', jobQueries.unsyncedTimes(now)],
      ['events', jobQueries.promotable()],
      ['registrations', jobQueries.staleRegistrationMoves(now)],
      ['registrations', jobQueries.expiredOffers(now)],
      ['registrations', jobQueries.waitlistHead('e1'), { waitlist_pos: 1 }],
      ['registrations', jobQueries.oldRejections(now)],
      ['registrations', { event_id: 'e1', user_key: { $in: ['u1'] }, status: { $in: ['confirmed'] } }],
      ['registrations', { invitation_id: 'inv1', event_id: 'e1' }],
      ['invitees', { event_id: 'e1', user_id: 'u1', cancelled: false }],
      ['invitees', { invitation_id: 'inv1', cancelled: true }],
      // eventIdsReachableBy: what a signed-in user's lists add to the public events.
      [
        'registrations',
        { user_key: { $in: ['u1', 'email:u1@example.com'] }, status: { $in: ['confirmed'] } },
        { event_start_time: -1 },
      ],
      ['invitees', { user_id: 'u1', cancelled: false }, { created_at: -1 }],
      ['invitees', { email: 'u1@example.com', cancelled: false }, { created_at: -1 }],
      // "Your place on the waitlist": one registration, and a page of them (one $or branch each).
      ['registrations', waitlistQueries.ahead({ event_id: 'e1', waitlist_pos: 7 })],
      [
        'registrations',
        {
          $or: [
            waitlistQueries.ahead({ event_id: 'e1', waitlist_pos: 7 }),
            waitlistQueries.ahead({ event_id: 'e2', waitlist_pos: 3 }),
          ],
        },
      ],
      // The internal read of one person's registration; leaving, offers (active ones of a person).
      ['registrations', { event_id: 'e1', user_key: 'u1' }],
      [
        'registrations',
        { event_id: 'e1', user_key: { $in: ['u1'] }, status: { $in: ['confirmed', 'offered', 'waitlisted'] } },
      ],
      // My registrations: their events, by id.
      ['events', { _id: { $in: ['e1', 'e2'] } }],
      // The cleanup's batches of ended events, by id.
      ['events', { end_time: { $lt: now }, _id: { $gt: '' } }, { _id: 1 }],
      // The hot path on the driver (store/seat-moves.ts, event-queries.ts): the event read, step 2
      // with every guard and the register shortcut's visibility, step 3, step 4.
      ['events', oneEventQuery('e1')],
      [
        'events',
        moveQueries.apply('e1', 't1', {
          visibility: 'public',
          ...guardFilter(['open', 'seat', 'queue_empty'], now),
        }),
      ],
      ['registrations', moveQueries.finish('r1', 't1')],
      ['events', moveQueries.pull('e1')],
    ];
    const methods: Coverage['method'][] = [];
    for (const [collection, filter, sort] of shapes) {
      const result = await coverage(mongo, collection, filter, sort);
      expect(scans(result), `${collection} ${JSON.stringify(filter)} → ${result.detail}`).toBe(false);
      methods.push(result.method);
    }
    report(`${methods.length} participant, registration and job shapes`, methods);
  });

  it('would notice a query no index serves', async () => {
    const result = await coverage(mongo, 'events', { description: 'x' });
    expect(scans(result)).toBe(true);
    expect(scans(await coverage(mongo, 'events', { description: 'x' }, { location: 1 }))).toBe(true);
    // `deleted_at: null` alone cannot use the sparse index of deleted events.
    expect(scans(await coverage(mongo, 'events', { deleted_at: null }))).toBe(true);
  });
});
