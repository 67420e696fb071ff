import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventDoc } from '../src/store/event-model.ts';
import { type RecoveryReport, recoverStaleMoves } from '../src/store/recovery.ts';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import { begin, type MoveContext, type MoveResult, run } from '../src/store/registration-moves.ts';
import { insertInFlight, register } from '../src/store/registrations.ts';
import type { Store } from '../src/store/store.ts';
import { assertCountersMatch } from './support/counters.ts';
import { openStore, person, seedEvent } from './support/store.ts';

/**
 * The two-phase recipe, crash point by crash point: the on-disk state a crash leaves after each
 * step, and what recovery makes of it. Recovery runs with olderThanMs 0, a second ahead (everything is stale).
 * Each test has a database of its own, so a recovery report counts exactly that test's moves.
 */
describe('recovery of half-done registration moves', () => {
  let store: Store;
  let ctx: MoveContext;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, ctx, close } = await openStore());
  });
  afterEach(async () => close?.());

  const nothing: RecoveryReport = { finished: 0, undone: 0, compensated: 0, cleaned: 0, timesSynced: 0 };

  // Recovery looks from a second later, so a move written in the same millisecond as the check
  // (`at < cutoff` is strict) still counts as stale; it failed once on exactly that.
  const recover = () => recoverStaleMoves({ ...ctx, now: () => new Date(Date.now() + 1000) }, { olderThanMs: 0 });
  const reload = async (id: string) => store.registrations.findById(id).lean<RegistrationDoc>();
  const eventOf = async (id: string) => (await store.events.findById(id).lean<EventDoc>())!;

  /** What step 2 writes (the only step recovery never does itself). */
  async function applyLikeTheRequest(reg: RegistrationDoc, inc: Record<string, number>, kind = reg.txn!.kind) {
    await store.events.updateOne(
      { _id: reg.event_id },
      { $inc: inc, $push: { txns: { id: reg.txn!.id, reg: reg._id, kind, at: new Date() } } },
    );
  }

  it('crash after step 1 (registration in flight, nothing applied): undone, the registration disappears, no seat taken', async () => {
    const event = await seedEvent(store, { max_participants: 3 });
    const reg = (await insertInFlight(ctx, event, person('a'), 'register'))!;
    expect(await recover()).toEqual({ ...nothing, undone: 1 });
    expect(await reload(reg._id)).toBeNull();
    const after = await eventOf(event._id);
    expect(after).toMatchObject({ seats_left: 3, confirmed_count: 0, txns: [] });
  });

  it('crash after step 2 (seat taken, registration not yet confirmed): finished, confirmed with its message', async () => {
    const event = await seedEvent(store, { max_participants: 3 });
    const reg = (await insertInFlight(ctx, event, person('b'), 'register'))!;
    await applyLikeTheRequest(reg, { seats_left: -1, confirmed_count: 1 });
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    const done = (await reload(reg._id))!;
    expect(done).toMatchObject({ status: 'confirmed', txn: null });
    expect(done.outbox).toEqual([expect.objectContaining({ type: 'registration.confirmed', subject: reg._id })]);
    expect(done.outbox_at).not.toBeNull();
    await assertCountersMatch(store, event._id);
  });

  it('crash after step 3 (registration confirmed, marker left on the event): the marker is cleaned', async () => {
    const event = await seedEvent(store);
    const result = await register(ctx, event, person('c'), { waitlist: false });
    expect(result.ok).toBe(true);
    const reg = (result as { registration: RegistrationDoc }).registration;
    await store.events.updateOne(
      { _id: event._id },
      { $push: { txns: { id: reg.done_txns[0]!, reg: reg._id, kind: 'register', at: new Date() } } },
    );
    expect(await recover()).toEqual({ ...nothing, cleaned: 1 });
    expect((await eventOf(event._id)).txns).toEqual([]);
    await assertCountersMatch(store, event._id);
  });

  it('crash in the middle of unregistering: the seat is given back exactly once', async () => {
    const event = await seedEvent(store, { max_participants: 2 });
    const result = await register(ctx, event, person('d'), { waitlist: false });
    const reg = (result as { registration: RegistrationDoc }).registration;
    const leaving = (await begin(ctx, reg._id, 'release_seat', { reason: 'unregistered' }))!;
    await applyLikeTheRequest(leaving, { seats_left: 1, confirmed_count: -1 });
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    expect(await recover()).toEqual(nothing); // running twice changes nothing more
    expect(await reload(reg._id)).toMatchObject({ status: 'cancelled', cancel_reason: 'unregistered', txn: null });
    const { event: after } = await assertCountersMatch(store, event._id);
    expect(after).toMatchObject({ seats_left: 2, confirmed_count: 0 });
  });

  it('a waitlist join whose request died gets a fresh place in line', async () => {
    const event = await seedEvent(store, { max_participants: 1, seats_left: 0, confirmed_count: 1 });
    const reg = (await insertInFlight(ctx, event, person('e'), 'join_waitlist'))!;
    await applyLikeTheRequest(reg, { waitlist_count: 1, waitlist_seq: 1 });
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    const done = (await reload(reg._id))!;
    expect(done.status).toBe('waitlisted');
    // Number 1 died with the request; recovery takes the next one, never one handed out before.
    expect(done.waitlist_pos).toBe(2);
    expect(done.outbox).toEqual([expect.objectContaining({ type: 'registration.waitlisted' })]);
    expect(await eventOf(event._id)).toMatchObject({ waitlist_seq: 2, waitlist_count: 1, txns: [] });
  });

  it('a slow request that applies after recovery undid its move gives the seat back itself', async () => {
    const event = await seedEvent(store, { max_participants: 1 });
    const reg = (await insertInFlight(ctx, event, person('f'), 'register'))!;
    // Recovery judges the move abandoned first (the request is "slow")...
    expect(await recover()).toEqual({ ...nothing, undone: 1 });
    expect(await reload(reg._id)).toBeNull();
    // ...then the request carries on: step 2 applies, step 3 finds the move gone, the seat is returned.
    const late = await run(ctx, reg);
    expect(late).toMatchObject({ ok: false, reason: 'busy' });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 1, confirmed_count: 0, txns: [] });
  });

  it('... and if that request dies right after applying, recovery gives the seat back', async () => {
    const event = await seedEvent(store, { max_participants: 1 });
    const reg = (await insertInFlight(ctx, event, person('g'), 'register'))!;
    expect(await recover()).toEqual({ ...nothing, undone: 1 });
    await applyLikeTheRequest(reg, { seats_left: -1, confirmed_count: 1 });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 0 });
    expect(await recover()).toEqual({ ...nothing, compensated: 1 });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 1, confirmed_count: 0, txns: [] });
    expect(await store.registrations.countDocuments({ event_id: event._id })).toBe(0);
  });

  it('recovery racing the request on the same move: one outcome, one message', async () => {
    const event = await seedEvent(store, { max_participants: 5 });
    const regs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insertInFlight(ctx, event, person(`r${i}`), 'register', { fallback: 'join_waitlist' }),
      ),
    );
    // Requests and two recovery runs at once. However they interleave, each move ends one way:
    // finished (by the request or by recovery) with one message, or undone with the request told so.
    const settled = await Promise.all([...regs.map((r) => run(ctx, r!)), recover(), recover()]);
    const moves = settled.slice(0, regs.length) as MoveResult[];
    await recover();
    expect(moves.filter((m) => !m.ok).map((m) => m.reason)).toEqual(moves.filter((m) => !m.ok).map(() => 'busy'));
    const finished = moves.filter((m) => m.ok).map((m) => (m as { registration: RegistrationDoc }).registration);
    const all = await store.registrations.find({ event_id: event._id }).lean<RegistrationDoc[]>();
    expect(all.map((r) => r._id).sort()).toEqual(finished.map((r) => r._id).sort());
    const announces = { confirmed: 'registration.confirmed', waitlisted: 'registration.waitlisted' } as const;
    for (const r of all) {
      expect(r.txn).toBeNull();
      expect(['confirmed', 'waitlisted']).toContain(r.status);
      expect((r.outbox as Array<{ type: string }>).map((m) => m.type)).toEqual([
        announces[r.status as keyof typeof announces],
      ]);
    }
    for (const r of finished) expect(all.find((a) => a._id === r._id)!.status).toBe(r.status);
    const { event: after } = await assertCountersMatch(store, event._id);
    expect(after.confirmed_count).toBe(all.filter((r) => r.status === 'confirmed').length);
    expect(after.confirmed_count).toBeLessThanOrEqual(5);
  });
});
