import { mongoUrlFor, uniqueName } from '@convene/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The outbox and `once` rest on conditional single-document updates being atomic. This proves it
 * on whichever MongoDB-wire server the tests run against (FerretDB 1.x, for one, fails it).
 */
describe('MongoDB conditional updates', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrlFor(uniqueName('bus_atomic')), { maxPoolSize: 50 })
      .asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('lets exactly 20 of 200 parallel "take a seat if one is left" updates succeed', async () => {
    const Event = connection.model('Event', new mongoose.Schema({ seats_left: Number }));
    const event = await Event.create({ seats_left: 20 });
    // Default options return the document as it was before each update.
    const before = await Promise.all(
      Array.from({ length: 200 }, () =>
        Event.findOneAndUpdate({ _id: event._id, seats_left: { $gt: 0 } }, { $inc: { seats_left: -1 } }).lean(),
      ),
    );
    const succeeded = before.filter((doc) => doc !== null);
    expect(succeeded).toHaveLength(20);
    // Each winner saw a different seat count: no two updates acted on the same state.
    expect(succeeded.map((doc) => doc.seats_left).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await Event.findById(event._id).lean())!.seats_left).toBe(0);
    // Not asserted: with { new: true } mongo-java-server sometimes returns another update's
    // result (two winners both "see" the same post-image); the updates themselves stay atomic.
  });
});
