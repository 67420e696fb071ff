import { mongoUrlFor, uniqueName } from '@convene/testing';
import { describe, expect, it } from 'vitest';
import { capturedLogger } from '../test-helpers.ts';
import { connectMongo } from './connect-mongo.ts';

describe('connectMongo', () => {
  it('resolves with an open connection to the named database', async () => {
    const { logger, lines } = capturedLogger();
    const db = uniqueName('kit_connect');
    const connection = await connectMongo(mongoUrlFor(db), { logger });
    try {
      expect(connection.readyState).toBe(1);
      expect(connection.name).toBe(db);
      expect(connection.getClient().options.serverSelectionTimeoutMS).toBe(5_000);
      const things = connection.collection('things');
      await things.insertOne({ n: 1 });
      expect(await things.countDocuments()).toBe(1);
      expect(lines.find((line) => line.msg === 'mongo connected')).toMatchObject({ db });
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });

  it('rejects when no server answers within the selection timeout', async () => {
    // Port 1 is never served here: the connection is refused, and after 300 ms selection gives up.
    await expect(
      connectMongo('mongodb://127.0.0.1:1/nothing', { serverSelectionTimeoutMS: 300 }),
    ).rejects.toMatchObject({ name: 'MongooseServerSelectionError', message: 'connect ECONNREFUSED 127.0.0.1:1' });
  });
});
