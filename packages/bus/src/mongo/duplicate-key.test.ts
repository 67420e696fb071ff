import { mongoUrlFor, uniqueName } from '@convene/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateKeyIndexes, isDuplicateKey } from './duplicate-key.ts';

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(mongoUrlFor(uniqueName('bus_duplicate_key'))).asPromise();
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
