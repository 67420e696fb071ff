import { mongoUrlFor, TestClock, uniqueName } from '@convene/testing';
import mongoose, { type Connection, Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateKeyIndexes, isDuplicateKey } from './duplicate-key.ts';
import { leasesOn } from './leases.ts';
import { modelOn } from './model-on.ts';

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(mongoUrlFor(uniqueName('kit_mongo_helpers'))).asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('isDuplicateKey', () => {
  it('is true for a real E11000 from the server and false for other errors', async () => {
    const things = connection.collection('dup_things');
    await things.insertOne({ _id: 'a' as never });
    const err = await things.insertOne({ _id: 'a' as never }).catch((e: unknown) => e);
    expect(isDuplicateKey(err)).toBe(true);
    const bulk = await things.insertMany([{ _id: 'a' as never }], { ordered: false }).catch((e: unknown) => e);
    expect(isDuplicateKey(bulk)).toBe(true);
    expect(isDuplicateKey(new Error('E11000 in a message only'))).toBe(false);
    expect(isDuplicateKey({ code: 11001 })).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey({ writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(false);
  });

  it('names the positions of an unordered bulk write that a unique index refused', async () => {
    const things = connection.collection('dup_bulk');
    await things.insertMany([{ _id: 'b' as never }, { _id: 'd' as never }]);
    const docs = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ _id: id as never }));
    const err = await things.insertMany(docs, { ordered: false }).catch((e: unknown) => e);
    expect(duplicateKeyIndexes(err)).toEqual([1, 3]);
    expect(await things.countDocuments()).toBe(5);
    const single = await things.insertOne({ _id: 'a' as never }).catch((e: unknown) => e);
    expect(duplicateKeyIndexes(single)).toEqual([0]);
    expect(duplicateKeyIndexes(new Error('other'))).toBeUndefined();
    expect(
      duplicateKeyIndexes({
        writeErrors: [
          { index: 0, code: 11000 },
          { index: 1, code: 121 },
        ],
      }),
    ).toBeUndefined();
  });
});

describe('modelOn', () => {
  it('compiles a model once per connection and never on the global registry', () => {
    const schema = new Schema({ n: Number });
    const first = modelOn(connection, 'HelperThing', schema);
    const second = modelOn(connection, 'HelperThing', new Schema({ other: String }));
    expect(second).toBe(first);
    expect(first.db).toBe(connection);
    expect(mongoose.models.HelperThing).toBeUndefined();
  });
});

describe('leasesOn', () => {
  it('has one holder at a time, frees on release and spaces runs by minIntervalMs', async () => {
    const clock = new TestClock(new Date('2026-01-01T00:00:00Z'));
    const leases = leasesOn(connection, { collection: uniqueName('leases'), now: clock.now });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => leases.acquire('cleanup', `r${i}`, { ttlMs: 60_000 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `r${results.indexOf(true)}`;
    expect(await leases.renew('cleanup', 'someone-else', 60_000)).toBe(false);
    expect(await leases.renew('cleanup', winner, 60_000)).toBe(true);

    await leases.release('cleanup', winner, { ran: true });
    expect(await leases.acquire('cleanup', 'next', { ttlMs: 60_000, minIntervalMs: 10_000 })).toBe(false);
    clock.advance(9_999);
    expect(await leases.acquire('cleanup', 'next', { ttlMs: 60_000, minIntervalMs: 10_000 })).toBe(false);
    clock.advance(1);
    expect(await leases.acquire('cleanup', 'next', { ttlMs: 60_000, minIntervalMs: 10_000 })).toBe(true);
  });

  it('lets another holder take over once the lease ran out, and not a millisecond before', async () => {
    const clock = new TestClock(new Date('2026-01-01T00:00:00Z'));
    const leases = leasesOn(connection, { collection: uniqueName('leases'), now: clock.now });
    expect(await leases.acquire('sweep', 'crashed', { ttlMs: 5_000 })).toBe(true);
    clock.advance(5_000);
    expect(await leases.acquire('sweep', 'other', { ttlMs: 5_000 })).toBe(false);
    clock.advance(1);
    expect(await leases.acquire('sweep', 'other', { ttlMs: 5_000 })).toBe(true);
    expect(await leases.renew('sweep', 'crashed', 5_000)).toBe(false);
  });
});
