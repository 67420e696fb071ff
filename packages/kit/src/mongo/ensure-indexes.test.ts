import { mongoUrlFor, uniqueName } from '@convene/testing';
import { type Connection, Schema } from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMongo } from './connect-mongo.ts';
import { ensureIndexes } from './ensure-indexes.ts';

const ThingSchema = new Schema({ key: { type: String, required: true, unique: true }, n: Number });
ThingSchema.index({ n: 1, key: 1 });

describe('ensureIndexes', () => {
  const opened: Connection[] = [];
  afterEach(async () => {
    await opened[0]?.dropDatabase().catch(() => {});
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
  });

  async function connect(database: string) {
    const connection = await connectMongo(mongoUrlFor(database));
    opened.push(connection);
    return connection;
  }

  it('builds the same collection and indexes from four replicas booting at once on a fresh database', async () => {
    const database = uniqueName('kit_indexes');
    const connections = await Promise.all([1, 2, 3, 4].map(() => connect(database)));
    await Promise.all(connections.map((connection) => ensureIndexes([connection.model('Thing', ThingSchema)])));

    const things = connections[0]?.model('Thing', ThingSchema);
    const names = (await things?.collection.indexes())?.map((index) => index.name);
    expect(names).toEqual(expect.arrayContaining(['key_1', 'n_1_key_1']));
    await things?.create({ key: 'a', n: 1 });
    await expect(things?.create({ key: 'a', n: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  it('does not build anything in the background: without ensureIndexes there is no unique index', async () => {
    const connection = await connect(uniqueName('kit_indexes'));
    const things = connection.model('Thing', ThingSchema);
    await things.create({ key: 'a', n: 1 });
    // Model.init() is mongoose's background work (autoCreate, autoIndex): once it has settled, an
    // index it would build exists; with connectMongo's settings it builds none.
    await things.init();
    const names = (await things.collection.indexes()).map((index) => index.name);
    expect(names).toEqual(['_id_']);
  });

  it('tries each model the given number of times, waiting longer each time, then throws the last error', async () => {
    const calls: number[] = [];
    const failing = {
      createCollection: async () => undefined,
      createIndexes: async () => {
        calls.push(performance.now());
        throw new Error(`attempt ${calls.length} failed`);
      },
    };
    await expect(ensureIndexes([failing], { attempts: 3, backoffMs: 20 })).rejects.toThrow(
      new Error('attempt 3 failed'),
    );
    expect(calls).toHaveLength(3);
    // At least 20 ms, then at least 40 ms, between the tries (1 ms less for timer rounding).
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(19);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(39);
  });

  it('gives up on an index that can never be built with the database error', async () => {
    const connection = await connect(uniqueName('kit_indexes'));
    // The same index name with a different definition can never be built.
    await connection.collection('clashes').createIndex({ key: 1 }, { name: 'key_1', unique: false });
    const Clash = connection.model('Clash', new Schema({ key: { type: String, unique: true } }), 'clashes');
    await expect(ensureIndexes([Clash], { attempts: 2, backoffMs: 10 })).rejects.toMatchObject({
      name: 'MongoServerError',
      code: 86,
      codeName: 'IndexKeySpecsConflict',
    });
  });
});
