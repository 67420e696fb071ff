import * as bus from '@convene/bus';
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

describe('isDuplicateKey and duplicateKeyIndexes', () => {
  it("are the bus's own recognisers, passed on (their tests: packages/bus/src/mongo/duplicate-key.test.ts)", () => {
    expect(isDuplicateKey).toBe(bus.isDuplicateKey);
    expect(duplicateKeyIndexes).toBe(bus.duplicateKeyIndexes);
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
