import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowContext } from '../src/flows/context.ts';
import type { EventDoc } from '../src/store/event-model.ts';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import { newRegistration } from '../src/store/seat-moves.ts';
import { registrationsCollection, type Store } from '../src/store/store.ts';
import { openStore, person, storeTestEvent } from './support/store.ts';

class Stop extends Error {
  override readonly name = 'Stop';
}

/**
 * A registration's step 1 is an insert on the driver, which applies none of the schema's
 * defaults: the document must still be the one mongoose would have written, field by field
 * (same fields, same values, same BSON types), so every query, index and view sees no difference.
 */
describe('a registration inserted on the driver', () => {
  let store: Store;
  let ctx: FlowContext;
  let flowsWith: (options: Parameters<Awaited<ReturnType<typeof openStore>>['flowsWith']>[0]) => FlowContext;
  let close: () => Promise<void>;
  let event: EventDoc;
  beforeAll(async () => {
    ({ store, ctx, flowsWith, close } = await openStore());
    event = await storeTestEvent(store);
  });
  afterAll(async () => close?.());

  /** The stored document as the server has it (no mongoose in between), without its `_id`. */
  async function raw(id: string): Promise<Record<string, unknown>> {
    const { _id, ...rest } = (await store.connection.db!.collection('registrations').findOne({ _id: id as never }))!;
    expect(typeof _id).toBe('string');
    return rest;
  }

  /** What each field deserialises to (Date, Null, Array, String, ...): a null is not a missing field, a Date not a string. */
  const kinds = (doc: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(doc).map(([field, value]) => [field, Object.prototype.toString.call(value)]));

  it('carries every field a mongoose-created one has, with the same values', async () => {
    const now = new Date('2031-05-01T10:00:00Z');
    const who = person('doc');
    const txn = { id: 't-1', kind: 'register' as const, fallback: null, reason: null, at: now };
    const input = {
      event_id: event._id,
      user_key: who.user_id,
      user_id: who.user_id,
      user_name: who.name,
      user_email: who.email,
      status: 'new' as const,
      invitation_id: null,
      event_start_time: event.start_time,
      event_end_time: event.end_time,
      event_version: event.version,
      registered_at: now,
      created_at: now,
      updated_at: now,
      txn,
    };
    // user_key differs per document (unique per event): one mongoose document on another event id.
    const byMongoose = await store.registrations.create({ ...input, event_id: `${event._id}-m` });
    const driverDoc = newRegistration({ event, person: who, invitation_id: null, txn, now });
    await registrationsCollection(store).insertOne(driverDoc);

    const viaMongoose = await raw(byMongoose._id);
    const viaDriver = await raw(driverDoc._id);
    expect(Object.keys(viaDriver).sort()).toEqual(Object.keys(viaMongoose).sort());
    expect({ ...viaDriver, event_id: 'same' }).toEqual({ ...viaMongoose, event_id: 'same' });
    for (const field of Object.keys(viaMongoose).filter((f) => f !== 'event_id')) {
      expect([field, viaDriver[field]], field).toEqual([field, viaMongoose[field]]);
    }
    expect(kinds(viaMongoose)).toMatchObject({
      txn: '[object Object]',
      done_txns: '[object Array]',
      outbox_at: '[object Null]',
      registered_at: '[object Date]',
    });
    expect(kinds(viaDriver)).toEqual(kinds(viaMongoose));
    // The id is a 24-hex string like the schema default, not an ObjectId.
    expect(driverDoc._id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('is what step 1 of a registration writes (the register shortcut, without the event times)', async () => {
    const stopped = flowsWith({
      afterStep: (step) => {
        if (step === 'begun') throw new Stop('stopped after step 1');
      },
    });
    const who = person('step1');
    await expect(
      stopped.moves.perform({ create: { event: { _id: event._id }, person: who }, kind: 'register' }),
    ).rejects.toThrow(Stop);
    const inserted = (await store.registrations.findOne({ user_id: who.user_id }).lean<RegistrationDoc>())!;
    const byMongoose = await store.registrations.create({
      event_id: `${event._id}-m2`,
      user_key: who.user_id,
      user_id: who.user_id,
      user_name: who.name,
      user_email: who.email,
      status: 'new',
      event_start_time: event.start_time,
      event_end_time: event.end_time,
      registered_at: inserted.registered_at,
      created_at: inserted.created_at,
      updated_at: inserted.updated_at,
      txn: inserted.txn,
    });
    const viaDriver = await raw(inserted._id);
    const viaMongoose = await raw(byMongoose._id);
    expect(Object.keys(viaDriver).sort()).toEqual(Object.keys(viaMongoose).sort());
    // Only the event's times wait for step 3 (null until then); everything else is identical.
    expect(viaDriver).toEqual({
      ...viaMongoose,
      event_id: event._id,
      event_start_time: null,
      event_end_time: null,
    });

    // Finished, the move copies the times from the event step 2 updated.
    await store.registrations.deleteOne({ _id: inserted._id });
    const done = await ctx.moves.perform({ create: { event: { _id: event._id }, person: who }, kind: 'register' });
    expect(done.ok).toBe(true);
    const id = (done as { registration: RegistrationDoc }).registration._id;
    const confirmed = (await store.registrations.findById(id).lean<RegistrationDoc>())!;
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      event_start_time: event.start_time,
      event_end_time: event.end_time,
      event_version: event.version,
    });
  });
});
