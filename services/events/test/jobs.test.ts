import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectMongo } from '@convene/kit';
import { mongoUrlFor, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUpOldEvents } from '../src/flows/clean-up-old-events.ts';
import { createFlowContext, type FlowContext } from '../src/flows/context.ts';
import { deleteEvent } from '../src/flows/delete-event.ts';
import { purgeDeletedEvents } from '../src/flows/purge-deleted-events.ts';
import { registerForEvent } from '../src/flows/register-for-event.ts';
import { sendReminders } from '../src/flows/send-reminders.ts';
import { CLEANUP_LEASE, releaseCleanupLease, takeCleanupLease } from '../src/store/cleanup-lease.ts';
import type { EventDoc } from '../src/store/event-model.ts';
import { createStore, ensureIndexes, type Store } from '../src/store/store.ts';
import { openStore, person, storeTestEvent } from './support/store.ts';

const day = 86_400_000;
const cli = fileURLToPath(new URL('../src/cli/cleanup.ts', import.meta.url));

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An event that ended `daysAgo` days ago, with `regs` confirmed registrations. */
async function endedEvent(ctx: FlowContext, daysAgo: number, regs = 2): Promise<EventDoc> {
  const event = await storeTestEvent(ctx.store, { max_participants: 5 });
  for (let i = 0; i < regs; i++) {
    const registered = await registerForEvent(ctx, { eventId: event._id, person: person(`p${i}`), waitlist: false });
    expect(registered.ok).toBe(true);
  }
  await ctx.moves.settled(); // step 4 of each runs after the answer
  const end = new Date(Date.now() - daysAgo * day);
  await ctx.store.events.updateOne(
    { _id: event._id },
    { $set: { start_time: new Date(end.getTime() - 3_600_000), end_time: end } },
  );
  // As if the relay had published everything.
  await ctx.store.registrations.updateMany({ event_id: event._id }, { $set: { outbox: [], outbox_at: null } });
  return event;
}

describe('cleanup of old events', () => {
  let store: Store;
  let ctx: FlowContext;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, ctx, close } = await openStore());
  });
  afterAll(async () => close?.());

  it('deletes events that ended more than 30 days ago with their registrations; dry run only counts', async () => {
    const old = [await endedEvent(ctx, 40), await endedEvent(ctx, 31, 3)];
    const recent = await endedEvent(ctx, 5);
    const dry = await cleanUpOldEvents(ctx, { olderThanMs: 30 * day, dryRun: true });
    expect(dry.report).toMatchObject({ matched: 2, events: 2, registrations: 5 });
    expect(await store.events.countDocuments({ _id: { $in: old.map((e) => e._id) } })).toBe(2);

    let progress = 0;
    const real = await cleanUpOldEvents(ctx, { olderThanMs: 30 * day, onProgress: (done) => (progress = done) });
    expect(real.report).toMatchObject({ events: 2, registrations: 5 });
    expect(progress).toBe(2);
    expect(await store.events.countDocuments({ _id: { $in: old.map((e) => e._id) } })).toBe(0);
    expect(await store.registrations.countDocuments({ event_id: { $in: old.map((e) => e._id) } })).toBe(0);
    expect(await store.events.exists({ _id: recent._id })).toEqual({ _id: recent._id });
  });

  it('keeps an old event whose registrations still have messages to publish', async () => {
    const event = await endedEvent(ctx, 60);
    await store.registrations.updateOne({ event_id: event._id }, { $set: { outbox_at: new Date() } });
    const run = await cleanUpOldEvents(ctx, { olderThanMs: 30 * day });
    expect(run.report!.skipped).toBe(1);
    expect(await store.events.exists({ _id: event._id })).toEqual({ _id: event._id });
    await store.registrations.updateMany({ event_id: event._id }, { $set: { outbox_at: null } });
  });

  it('runs once across replicas: concurrent runs share one lease, and the schedule waits its interval', async () => {
    const old = await endedEvent(ctx, 45);
    const leases = store.connection.collection<{ _id: string }>('leases');
    await leases.deleteMany({}); // the runs above counted as runs; start this schedule afresh
    const due = await store.events.countDocuments({ end_time: { $lt: new Date(Date.now() - 30 * day) } });
    // Replica A takes the lease and is held inside its run until the others have tried.
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = cleanUpOldEvents(ctx, {
      olderThanMs: 30 * day,
      minIntervalMs: day,
      holder: 'replica-a',
      onStart: async () => {
        inside();
        await held;
      },
    });
    await started;
    expect(await leases.findOne({ _id: CLEANUP_LEASE })).toMatchObject({ holder: 'replica-a', last_run_at: null });
    // Nothing has run yet (no last_run_at), so only the lease keeps B, C and even the CLI out.
    const others = await Promise.all(
      ['replica-b', 'replica-c'].map((holder) =>
        cleanUpOldEvents(ctx, { olderThanMs: 30 * day, minIntervalMs: day, holder }),
      ),
    );
    expect(others.map((r) => r.ran)).toEqual([false, false]);
    expect((await cleanUpOldEvents(ctx, { olderThanMs: 30 * day, holder: 'cli' })).ran).toBe(false);
    expect(await store.events.exists({ _id: old._id })).toEqual({ _id: old._id });
    release();
    const done = await first;
    expect(done.ran).toBe(true);
    expect(done.report).toMatchObject({ events: due, skipped: 0 });
    expect(await store.events.exists({ _id: old._id })).toBeNull();
    // Ran just now: the scheduled run is not due for another day on any replica...
    expect((await cleanUpOldEvents(ctx, { olderThanMs: 30 * day, minIntervalMs: day, holder: 'replica-b' })).ran).toBe(
      false,
    );
    // ...while the CLI (no interval) may run any time the lease is free.
    expect((await cleanUpOldEvents(ctx, { olderThanMs: 30 * day, holder: 'cli' })).ran).toBe(true);
  });

  it('is a CLI: --older-than 30d [--dry-run], with a report, a clear error for bad flags, and exit 1 while the lease is held', async () => {
    const database = uniqueName('events');
    const own = await connectMongo(mongoUrlFor(database));
    const now = () => new Date();
    const ownStore = createStore(own, { now });
    await ensureIndexes(ownStore);
    const ownCtx = createFlowContext(ownStore, { now });
    try {
      await endedEvent(ownCtx, 40, 2);
      await endedEvent(ownCtx, 2, 1);
      const env = { MONGO_URL: mongoUrlFor(database), LOG_LEVEL: 'silent' };
      const dry = await runCli(['--older-than', '30d', '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/would delete 1 event\(s\) and 2 registration\(s\) that ended more than 30d ago/);
      expect(await ownStore.events.countDocuments()).toBe(2);
      const real = await runCli(['--older-than', '30d'], env);
      expect(real.code, real.stderr).toBe(0);
      expect(real.stdout).toMatch(/^deleted 1 event\(s\) and 2 registration\(s\)/);
      expect(await ownStore.events.countDocuments()).toBe(1);
      const bad = await runCli(['--older-than', 'a while'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/not a duration/);
      const unknown = await runCli(['--everything'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/Unknown option '--everything'/);
      expect(unknown.stderr).toContain('Usage: ./convene events:cleanup');
      const help = await runCli(['--help'], {});
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: \.\/convene events:cleanup /);
      // While a replica's scheduled cleanup holds the lease, the CLI refuses: a failure (exit 1), said in one line.
      expect(await takeCleanupLease(ownStore, 'replica-a')).toBe(true);
      const held = await runCli(['--older-than', '1d'], env);
      await releaseCleanupLease(ownStore, 'replica-a', { ran: false });
      expect(held.code).toBe(1);
      expect(held.stderr).toContain('events:cleanup: another cleanup is running (lease events.cleanup is held)');
      expect(held.stdout).toBe('');
      expect(await ownStore.events.countDocuments()).toBe(1);
    } finally {
      await own.dropDatabase();
      await own.close();
    }
  }, 60_000);
});

describe('reminders', () => {
  let store: Store;
  let ctx: FlowContext;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, ctx, close } = await openStore());
  });
  afterAll(async () => close?.());

  const remindersIn = async (eventId: string) =>
    (
      (await store.events.findById(eventId).lean<EventDoc>())!.outbox as Array<{
        type: string;
        data: { lead_minutes: number };
      }>
    ).filter((e) => e.type === 'event.reminder_due');

  it('announces event.reminder_due once per event, when it is within the lead time, even with replicas racing', async () => {
    const soon = await storeTestEvent(store, { start_time: new Date(Date.now() + 2 * 3_600_000) });
    const later = await storeTestEvent(store, { start_time: new Date(Date.now() + 3 * day) });
    const cancelled = await storeTestEvent(store, { start_time: new Date(Date.now() + 3_600_000), is_active: false });
    const runs = await Promise.all([1, 2, 3].map(() => sendReminders(ctx, { leadMs: day })));
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(await remindersIn(soon._id)).toHaveLength(1);
    expect((await remindersIn(soon._id))[0]!.data.lead_minutes).toBe(24 * 60);
    expect(await remindersIn(later._id)).toHaveLength(0);
    expect(await remindersIn(cancelled._id)).toHaveLength(0);
    expect((await sendReminders(ctx, { leadMs: day })).sent).toBe(0);
  });
});

describe('purge of deleted events', () => {
  let store: Store;
  let ctx: FlowContext;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, ctx, close } = await openStore());
  });
  afterAll(async () => close?.());

  it('removes a deleted event and its registrations only after event.deleted went out', async () => {
    const event = await storeTestEvent(store);
    expect((await registerForEvent(ctx, { eventId: event._id, person: person('x'), waitlist: false })).ok).toBe(true);
    await ctx.moves.settled();
    await store.registrations.updateMany({ event_id: event._id }, { $set: { outbox: [], outbox_at: null } });
    expect(await deleteEvent(ctx, event._id)).toBe(true);
    expect(await purgeDeletedEvents(ctx)).toBe(0); // event.deleted not yet published
    await store.events.updateOne({ _id: event._id }, { $set: { outbox: [], outbox_at: null } });
    expect(await purgeDeletedEvents(ctx)).toBe(1);
    expect(await store.events.exists({ _id: event._id })).toBeNull();
    expect(await store.registrations.countDocuments({ event_id: event._id })).toBe(0);
  });
});
