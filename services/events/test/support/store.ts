import { connectMongo } from '@convene/kit';
import { mongoUrlFor, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import type { EventDoc } from '../../src/store/event-model.ts';
import type { MoveContext } from '../../src/store/registration-moves.ts';
import { createStore, ensureIndexes, type Store } from '../../src/store/store.ts';

/** The store alone on a database of its own (no HTTP, no bus): for state-machine and job tests. */
export async function openStore(): Promise<{
  mongo: Connection;
  store: Store;
  ctx: MoveContext;
  close(): Promise<void>;
}> {
  const mongo = await connectMongo(mongoUrlFor(uniqueName('events')));
  const store = createStore(mongo);
  await ensureIndexes(store);
  return {
    mongo,
    store,
    ctx: { store, defaultOfferWindowMs: 86_400_000 },
    async close() {
      await mongo.dropDatabase();
      await mongo.close();
    },
  };
}

let n = 0;
/** An event document as createEvent writes it (without its event.created envelope). */
export async function seedEvent(store: Store, extra: Partial<EventDoc> = {}): Promise<EventDoc> {
  n++;
  const start = new Date(Date.now() + 48 * 3_600_000);
  const capacity = extra.max_participants ?? 10;
  const doc = await store.events.create({
    title: `Seeded ${n}`,
    title_lc: `seeded ${n}`,
    location: 'Somewhere',
    host_id: 'host',
    host_name: 'Host',
    host_email: 'host@example.com',
    start_time: start,
    end_time: new Date(start.getTime() + 3_600_000),
    max_participants: capacity,
    seats_left: capacity,
    ...extra,
  });
  return doc.toObject() as EventDoc;
}

export const person = (name: string) => ({ user_id: `${name}-${++n}`, email: `${name}${n}@example.com`, name });
