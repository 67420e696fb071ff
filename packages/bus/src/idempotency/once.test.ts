import { mongoUrlFor, uniqueName } from '@convene/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../test-support/wait-for.ts';
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
      await sleep(50);
    };
    expect(await once(connection, 'c', 'e1', fn)).toBe(true);
    expect(await once(connection, 'c', 'e1', fn)).toBe(false);
    expect(runs).toBe(1);

    const concurrent = await Promise.allSettled(Array.from({ length: 10 }, () => once(connection, 'c', 'e2', fn)));
    expect(runs).toBe(2);
    expect(concurrent.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(1);
    // The others found a fresh 'processing' marker: a transient error, so the bus retries them later.
    const rejected = concurrent.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(9);
    expect(rejected.every((r) => r.reason instanceof AlreadyProcessingError)).toBe(true);
    expect(await once(connection, 'c', 'e2', fn)).toBe(false);
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
    // A holder that "crashed": it claimed and never finished.
    const markers = connection.collection(PROCESSED_COLLECTION);
    const now = Date.now();
    await markers.insertOne({
      _id: 'c:e5' as never,
      state: 'processing',
      token: 'dead-holder',
      lease_until: new Date(now + 200),
      started_at: new Date(now),
    });
    let runs = 0;
    await expect(once(connection, 'c', 'e5', async () => void runs++)).rejects.toBeInstanceOf(AlreadyProcessingError);
    await sleep(250);
    expect(await once(connection, 'c', 'e5', async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
    const marker = await markers.findOne({ _id: 'c:e5' as never });
    expect(marker).toMatchObject({ state: 'done' });
    expect(marker!.token).not.toBe('dead-holder');
    expect(await once(connection, 'c', 'e5', async () => void runs++)).toBe(false);
  });

  it('does not let a dead holder that wakes up clear the marker of the one that took over', async () => {
    const markers = connection.collection(PROCESSED_COLLECTION);
    let release!: () => void;
    const slow = once(
      connection,
      'c',
      'e6',
      () =>
        new Promise<void>((_resolve, reject) => {
          release = () => reject(new Error('woke up and failed'));
        }),
      { leaseMs: 100 },
    );
    await sleep(150);
    expect(await once(connection, 'c', 'e6', async () => {})).toBe(true); // takes over the stale lease
    release();
    await expect(slow).rejects.toThrow('woke up and failed');
    expect(await markers.findOne({ _id: 'c:e6' as never })).toMatchObject({ state: 'done' });
  });

  it('prunes completed markers older than a date', async () => {
    await once(connection, 'prune', 'old', async () => {});
    await sleep(20);
    const cutoff = new Date();
    await once(connection, 'prune', 'new', async () => {});
    await pruneProcessedMessages(connection, cutoff);
    const left = await connection
      .collection(PROCESSED_COLLECTION)
      .find({ _id: { $in: ['prune:old', 'prune:new'] as never[] } })
      .toArray();
    expect(left.map((m) => m._id)).toEqual(['prune:new']);
  });
});
