import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowContext, type FlowContext, type FlowContextOptions } from '../src/flows/context.ts';
import { type RecoveryReport, recoverStaleMoves } from '../src/flows/recover-stale-moves.ts';
import { registerForEvent } from '../src/flows/register-for-event.ts';
import type { EventDoc } from '../src/store/event-model.ts';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import type { MoveResult, MoveStep } from '../src/store/seat-moves.ts';
import type { Store } from '../src/store/store.ts';
import { assertCountersMatch } from './support/counters.ts';
import { openStore, person, storeTestEvent } from './support/store.ts';

/** What a crash does to a request: it stops right there, writing nothing more. */
class Crash extends Error {
  override readonly name = 'Crash';
}

/**
 * The two-phase recipe, crash point by crash point: the on-disk state a crash leaves after each
 * step (the engine's `afterStep` hook stops the real move there), and what recovery makes of it.
 * Recovery runs with olderThanMs 0, a second ahead (everything is stale). Each test has a database
 * of its own, so a recovery report counts exactly that test's moves.
 */
describe('recovery of half-done registration moves', () => {
  let store: Store;
  let ctx: FlowContext;
  let flowsWith: (options: Partial<FlowContextOptions>) => FlowContext;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, ctx, flowsWith, close } = await openStore());
  });
  afterEach(async () => close?.());

  const nothing: RecoveryReport = { finished: 0, undone: 0, compensated: 0, cleaned: 0, timesSynced: 0 };

  // Recovery looks from a second later, so a move written in the same millisecond as the check
  // (`at < cutoff` is strict) still counts as stale; it failed once on exactly that.
  const recover = () => recoverStaleMoves(flowsWith({ now: () => new Date(Date.now() + 1000) }), { olderThanMs: 0 });
  const reload = async (id: string) => store.registrations.findById(id).lean<RegistrationDoc>();
  const eventOf = async (id: string) => (await store.events.findById(id).lean<EventDoc>())!;
  const onlyRegistrationOf = async (eventId: string) => {
    const regs = await store.registrations.find({ event_id: eventId }).lean<RegistrationDoc[]>();
    expect(regs).toHaveLength(1);
    return regs[0]!;
  };
  /** Flows whose moves die right after `step`, as a SIGKILL there would leave them. */
  const crashingAfter = (step: MoveStep) =>
    flowsWith({
      afterStep: (at) => {
        if (at === step) throw new Crash(`crashed after ${step}`);
      },
    });

  it('crash after step 1 (registration in flight, nothing applied): undone, the registration disappears, no seat taken', async () => {
    const event = await storeTestEvent(store, { max_participants: 3 });
    await expect(
      crashingAfter('begun').moves.perform({ create: { event, person: person('a') }, kind: 'register' }),
    ).rejects.toThrow(Crash);
    const reg = await onlyRegistrationOf(event._id);
    expect(reg).toMatchObject({ status: 'new', txn: expect.objectContaining({ kind: 'register' }) });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 3, txns: [] });
    expect(await recover()).toEqual({ ...nothing, undone: 1 });
    expect(await reload(reg._id)).toBeNull();
    const after = await eventOf(event._id);
    expect(after).toMatchObject({ seats_left: 3, confirmed_count: 0, txns: [] });
  });

  it('crash after step 2 (seat taken, registration not yet confirmed): finished, confirmed with its message', async () => {
    const event = await storeTestEvent(store, { max_participants: 3 });
    await expect(
      crashingAfter('applied').moves.perform({ create: { event, person: person('b') }, kind: 'register' }),
    ).rejects.toThrow(Crash);
    const reg = await onlyRegistrationOf(event._id);
    expect(reg).toMatchObject({ status: 'new', outbox_at: null });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 2, confirmed_count: 1, txns: [{ id: reg.txn!.id }] });
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    const done = (await reload(reg._id))!;
    expect(done).toMatchObject({ status: 'confirmed', txn: null });
    expect(done.outbox).toEqual([expect.objectContaining({ type: 'registration.confirmed', subject: reg._id })]);
    expect(done.outbox_at).not.toBeNull();
    await assertCountersMatch(store, event._id);
  });

  it('crash after step 3 (registration confirmed, marker left on the event): the marker is cleaned', async () => {
    const event = await storeTestEvent(store);
    await expect(
      registerForEvent(crashingAfter('finished'), { eventId: event._id, person: person('c'), waitlist: false }),
    ).rejects.toThrow(Crash);
    const reg = await onlyRegistrationOf(event._id);
    expect(reg).toMatchObject({ status: 'confirmed', txn: null });
    expect((await eventOf(event._id)).txns).toEqual([expect.objectContaining({ id: reg.done_txns[0] })]);
    expect(await recover()).toEqual({ ...nothing, cleaned: 1 });
    expect((await eventOf(event._id)).txns).toEqual([]);
    await assertCountersMatch(store, event._id);
  });

  it('step 4 failing after the answer: the move stands, the failure is logged (no unhandled rejection), recovery cleans', async () => {
    const event = await storeTestEvent(store);
    // The same store, except that the event's `$pull` (step 4, the only updateOne of a register) fails.
    const failingEvents = new Proxy(store.events.collection, {
      get(target, key, receiver) {
        if (key === 'updateOne') return () => Promise.reject(new Error('connection lost'));
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const events = new Proxy(store.events, {
      get: (target, key, receiver) => (key === 'collection' ? failingEvents : Reflect.get(target, key, receiver)),
    });
    const warned: Array<{ obj: unknown; msg: string | undefined }> = [];
    const failing = createFlowContext(
      { ...store, events },
      { now: () => new Date(), logger: { warn: (obj: unknown, msg?: string) => warned.push({ obj, msg }) } as never },
    );
    const result = await registerForEvent(failing, { eventId: event._id, person: person('p4'), waitlist: false });
    expect(result).toMatchObject({ ok: true, registration: { status: 'confirmed' } });
    await failing.moves.settled(); // resolves: the failure was handled, not thrown
    const reg = (result as { registration: RegistrationDoc }).registration;
    expect(warned).toEqual([
      {
        obj: expect.objectContaining({ event_id: event._id, txn: reg.done_txns[0] }),
        msg: expect.stringContaining('step 4'),
      },
    ]);
    expect((await eventOf(event._id)).txns).toEqual([expect.objectContaining({ id: reg.done_txns[0] })]);
    expect(await recover()).toEqual({ ...nothing, cleaned: 1 });
    await assertCountersMatch(store, event._id);
  });

  it('crash in the middle of unregistering: the seat is given back exactly once', async () => {
    const event = await storeTestEvent(store, { max_participants: 2 });
    const result = await registerForEvent(ctx, { eventId: event._id, person: person('d'), waitlist: false });
    await ctx.moves.settled(); // its step 4 runs after the answer
    const reg = (result as { registration: RegistrationDoc }).registration;
    await expect(
      crashingAfter('applied').moves.perform({ registrationId: reg._id, kind: 'release_seat', reason: 'unregistered' }),
    ).rejects.toThrow(Crash);
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 2, confirmed_count: 0 });
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    expect(await recover()).toEqual(nothing); // running twice changes nothing more
    expect(await reload(reg._id)).toMatchObject({ status: 'cancelled', cancel_reason: 'unregistered', txn: null });
    const { event: after } = await assertCountersMatch(store, event._id);
    expect(after).toMatchObject({ seats_left: 2, confirmed_count: 0 });
  });

  it('a waitlist join whose request died gets a fresh place in line', async () => {
    const event = await storeTestEvent(store, { max_participants: 1, seats_left: 0, confirmed_count: 1 });
    await expect(
      crashingAfter('applied').moves.perform({ create: { event, person: person('e') }, kind: 'join_waitlist' }),
    ).rejects.toThrow(Crash);
    expect(await eventOf(event._id)).toMatchObject({ waitlist_seq: 1, waitlist_count: 1 });
    const reg = await onlyRegistrationOf(event._id);
    expect(await recover()).toEqual({ ...nothing, finished: 1 });
    const done = (await reload(reg._id))!;
    expect(done.status).toBe('waitlisted');
    // Number 1 died with the request; recovery takes the next one, never one handed out before.
    expect(done.waitlist_pos).toBe(2);
    expect(done.outbox).toEqual([expect.objectContaining({ type: 'registration.waitlisted' })]);
    expect(await eventOf(event._id)).toMatchObject({ waitlist_seq: 2, waitlist_count: 1, txns: [] });
  });

  it('a slow request that applies after recovery undid its move gives the seat back itself', async () => {
    const event = await storeTestEvent(store, { max_participants: 1 });
    // The request is "slow": recovery judges its move abandoned between steps 1 and 2...
    let recovered: RecoveryReport | undefined;
    let meanwhile: RegistrationDoc | null | undefined;
    const slow = flowsWith({
      afterStep: async (step, reg) => {
        if (step !== 'begun') return;
        recovered = await recover();
        meanwhile = await reload(reg._id);
      },
    });
    // ...then the request carries on: step 2 applies, step 3 finds the move gone, the seat is returned.
    const late = await slow.moves.perform({ create: { event, person: person('f') }, kind: 'register' });
    expect(recovered).toEqual({ ...nothing, undone: 1 });
    expect(meanwhile).toBeNull();
    expect(late).toMatchObject({ ok: false, reason: 'busy' });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 1, confirmed_count: 0, txns: [] });
    expect(await store.registrations.countDocuments({ event_id: event._id })).toBe(0);
  });

  it('... and if that request dies right after applying, recovery gives the seat back', async () => {
    const event = await storeTestEvent(store, { max_participants: 1 });
    let recovered: RecoveryReport | undefined;
    const slowThenDead = flowsWith({
      afterStep: async (step) => {
        if (step === 'begun') recovered = await recover();
        if (step === 'applied') throw new Crash('crashed after applied');
      },
    });
    await expect(
      slowThenDead.moves.perform({ create: { event, person: person('g') }, kind: 'register' }),
    ).rejects.toThrow(Crash);
    expect(recovered).toEqual({ ...nothing, undone: 1 });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 0 });
    expect(await recover()).toEqual({ ...nothing, compensated: 1 });
    expect(await eventOf(event._id)).toMatchObject({ seats_left: 1, confirmed_count: 0, txns: [] });
    expect(await store.registrations.countDocuments({ event_id: event._id })).toBe(0);
  });

  it('recovery racing the request on the same move: one outcome, one message', async () => {
    const event = await storeTestEvent(store, { max_participants: 5 });
    // Every request begins its move (step 1) and waits at the gate; then the requests and two
    // recovery runs go at once. However they interleave, each move ends one way: finished (by the
    // request or by recovery) with one message, or undone with the request told so.
    const count = 20;
    let begun = 0;
    let everyoneBegun!: () => void;
    const allBegun = new Promise<void>((resolve) => (everyoneBegun = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const racing = flowsWith({
      afterStep: async (step) => {
        if (step !== 'begun') return;
        if (++begun === count) everyoneBegun();
        await gate;
      },
    });
    const requests = Array.from({ length: count }, (_, i) =>
      racing.moves.perform({ create: { event, person: person(`r${i}`) }, kind: 'register', fallback: 'join_waitlist' }),
    );
    await allBegun;
    expect(await store.registrations.countDocuments({ event_id: event._id, status: 'new' })).toBe(count);
    openGate();
    const settled = await Promise.all([...requests, recover(), recover()]);
    const moves = settled.slice(0, count) as MoveResult[];
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
