import { connectMongo } from '@convene/kit';
import { mongoUrlFor, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { createFlowContext, type FlowContext, type FlowContextOptions } from '../../src/flows/context.ts';
import type { EventDoc } from '../../src/store/event-model.ts';
import { movesSettled } from '../../src/store/seat-moves.ts';
import { createStore, ensureIndexes, type Store } from '../../src/store/store.ts';

/** The store alone on a database of its own (no HTTP, no bus): for state-machine and job tests. */
export async function openStore(): Promise<{
  mongo: Connection;
  store: Store;
  /** The flows on the wall clock. */
  ctx: FlowContext;
  /** The flows on another clock, or with crash points (`afterStep`), over the same store. */
  flowsWith(options: Partial<FlowContextOptions>): FlowContext;
  close(): Promise<void>;
}> {
  const mongo = await connectMongo(mongoUrlFor(uniqueName('events')));
  const wallClock = () => new Date();
  const store = createStore(mongo, { now: wallClock });
  await ensureIndexes(store);
  const flowsWith = (options: Partial<FlowContextOptions>) => createFlowContext(store, { now: wallClock, ...options });
  return {
    mongo,
    store,
    ctx: flowsWith({}),
    flowsWith,
    async close() {
      await movesSettled(store); // step 4s still running, before their connection goes
      await mongo.dropDatabase();
      await mongo.close();
    },
  };
}

let n = 0;
/** An event document as createEvent writes it (without its event.created envelope). */
export async function storeTestEvent(store: Store, extra: Partial<EventDoc> = {}): Promise<EventDoc> {
  n++;
  const now = new Date();
  const start = new Date(now.getTime() + 48 * 3_600_000);
  const capacity = extra.max_participants ?? 10;
  const doc = await store.events.create({
    title: `Test event ${n}`,
    title_lc: `test event ${n}`,
    location: 'Somewhere',
    host_id: 'host',
    host_name: 'Host',
    host_email: 'host@example.com',
    start_time: start,
    end_time: new Date(start.getTime() + 3_600_000),
    max_participants: capacity,
    seats_left: capacity,
    created_at: now,
    updated_at: now,
    ...extra,
  });
  return doc.toObject() as EventDoc;
}

export const person = (name: string) => ({ user_id: `${name}-${++n}`, email: `${name}${n}@example.com`, name });
