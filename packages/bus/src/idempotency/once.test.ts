import { mongoUrlFor, uniqueName } from '@convene/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { within } from '../test-support/wait-for.ts';
import { AlreadyProcessingError, once, PROCESSED_COLLECTION, pruneProcessedMessages } from './once.ts';

describe('once', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlFor(uniqueName('bus_once'))).asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('runs fn once for duplicate deliveries of one envelope, sequential or concurrent', async () => {
    let runs = 0;
    const fn = async () => {
      runs++;
    };
    expect(await once(connection, 'c', 'e1', fn)).toBe(true);
    expect(await once(connection, 'c', 'e1', fn)).toBe(false);
    expect(runs).toBe(1);

    // Ten concurrent deliveries. The one that claims the marker does not finish until the other
    // nine have settled, so each of them finds a fresh 'processing' marker (none can come late
    // and see 'done'). If two ever claimed, neither would be released: the bounded wait fails
    // their fns and the counts below fail.
    let settled = 0;
    let othersSettled!: () => void;
    const allOthersSettled = new Promise<void>((resolve) => {
      othersSettled = resolve;
    });
    const holdUntilOthersSettled = async () => {
      runs++;
      await within(allOthersSettled, 15_000, 'the other nine deliveries to be refused');
    };
    const concurrent = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        once(connection, 'c', 'e2', holdUntilOthersSettled).finally(() => {
          if (++settled === 9) othersSettled();
        }),
      ),
    );
    expect(runs).toBe(2);
    expect(concurrent.filter((r) => r.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: true }]);
    // The others found a fresh 'processing' marker: a transient error, so the bus retries them later.
    const rejected = concurrent.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(9);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(AlreadyProcessingError);
    expect(await once(connection, 'c', 'e2', fn)).toBe(false);
    expect(runs).toBe(2);
  });

  it('keeps consumers apart: the same envelope runs once per consumer name', async () => {
    const ran: string[] = [];
    await once(connection, 'a', 'e3', async () => ran.push('a'));
    await once(connection, 'b', 'e3', async () => ran.push('b'));
    await once(connection, 'a', 'e3', async () => ran.push('a'));
    expect(ran).toEqual(['a', 'b']);
  });

  it('lets a retry run fn again after fn threw', async () => {
    let runs = 0;
    await expect(
      once(connection, 'c', 'e4', async () => {
        runs++;
        throw new Error('transient');
      }),
    ).rejects.toThrow('transient');
    expect(await connection.collection(PROCESSED_COLLECTION).findOne({ _id: 'c:e4' as never })).toBeNull();
    expect(await once(connection, 'c', 'e4', async () => void runs++)).toBe(true);
    expect(runs).toBe(2);
  });

  it('takes over a processing marker whose lease ran out (its holder died), not a fresh one', async () => {
    // A holder that "crashed": it claimed and never finished. Time is the clock passed to once().
    const markers = connection.collection(PROCESSED_COLLECTION);
    const claimedAt = Date.parse('2031-03-01T10:00:00.000Z');
    await markers.insertOne({
      _id: 'c:e5' as never,
      state: 'processing',
      token: 'dead-holder',
      lease_until: new Date(claimedAt + 200),
      started_at: new Date(claimedAt),
    });
    let runs = 0;
    const at = (ms: number) => ({ now: () => new Date(claimedAt + ms) });
    // Up to and including its last millisecond the lease holds other deliveries off.
    await expect(once(connection, 'c', 'e5', async () => void runs++, at(150))).rejects.toBeInstanceOf(
      AlreadyProcessingError,
    );
    await expect(once(connection, 'c', 'e5', async () => void runs++, at(200))).rejects.toBeInstanceOf(
      AlreadyProcessingError,
    );
    expect(runs).toBe(0);
    expect(await once(connection, 'c', 'e5', async () => void runs++, at(250))).toBe(true);
    expect(runs).toBe(1);
    const marker = await markers.findOne({ _id: 'c:e5' as never });
    expect(marker).toMatchObject({ state: 'done', done_at: new Date(claimedAt + 250), lease_until: null });
    expect(marker!.token).not.toBe('dead-holder');
    expect(await once(connection, 'c', 'e5', async () => void runs++, at(250))).toBe(false);
    expect(runs).toBe(1);
  });

  it('does not let a dead holder that wakes up clear the marker of the one that took over', async () => {
    const markers = connection.collection(PROCESSED_COLLECTION);
    const claimedAt = Date.parse('2031-03-02T10:00:00.000Z');
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release!: () => void;
    const slow = once(
      connection,
      'c',
      'e6',
      () =>
        new Promise<void>((_resolve, reject) => {
          release = () => reject(new Error('woke up and failed'));
          started(); // fn runs only once the marker is claimed
        }),
      { leaseMs: 100, now: () => new Date(claimedAt) },
    );
    await slowStarted;
    expect(await markers.findOne({ _id: 'c:e6' as never })).toMatchObject({
      state: 'processing',
      lease_until: new Date(claimedAt + 100),
    });
    // 150 ms later by the clock: the slow holder's lease is over, so another delivery takes over.
    expect(await once(connection, 'c', 'e6', async () => {}, { now: () => new Date(claimedAt + 150) })).toBe(true);
    release();
    await expect(slow).rejects.toThrow('woke up and failed');
    expect(await markers.findOne({ _id: 'c:e6' as never })).toMatchObject({ state: 'done' });
  });

  it('prunes completed markers older than a date', async () => {
    const day = (d: number) => new Date(Date.UTC(2001, 3, d));
    await once(connection, 'prune', 'old', async () => {}, { now: () => day(1) });
    await once(connection, 'prune', 'new', async () => {}, { now: () => day(3) });
    // Every other marker of this file was completed later than the cutoff: exactly one goes.
    expect(await pruneProcessedMessages(connection, day(2))).toBe(1);
    const left = await connection
      .collection(PROCESSED_COLLECTION)
      .find({ _id: { $in: ['prune:old', 'prune:new'] as never[] } })
      .toArray();
    expect(left.map((m) => m._id)).toEqual(['prune:new']);
  });
});
