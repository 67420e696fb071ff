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
    await new Promise((resolve) => setTimeout(resolve, 100));
    const names = (await things.collection.indexes()).map((index) => index.name);
    expect(names).toEqual(['_id_']);
  });

  it('throws the last error once the attempts are used up', async () => {
    const connection = await connect(uniqueName('kit_indexes'));
    // The same index name with a different definition can never be built.
    await connection.collection('clashes').createIndex({ key: 1 }, { name: 'key_1', unique: false });
    const Clash = connection.model('Clash', new Schema({ key: { type: String, unique: true } }), 'clashes');
    const started = Date.now();
    await expect(ensureIndexes([Clash], { attempts: 3, backoffMs: 10 })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(30); // waited 10 + 20 ms between the three tries
  });
});
