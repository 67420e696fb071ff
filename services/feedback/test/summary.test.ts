import { markerId } from '@convene/bus';
import { type Probe, startProbe } from '@convene/bus/testing';
import { type DomainEvent, envelope } from '@convene/contracts';
import { eventually, testInfra } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaOf } from '../src/domain/summary.ts';
import { insertFeedback } from '../src/store/feedback-queries.ts';
import { applyToSummary } from '../src/store/summary-queries.ts';
import {
  HOUR,
  people,
  type RunningFeedback,
  seedAttendance,
  snapshotOf,
  startFeedback,
  testUser,
} from './support/harness.ts';

/** The summary is counters changed by deltas; these check it against the truth under concurrency and crashes. */
describe('feedback summary', { timeout: 60_000 }, () => {
  let run: RunningFeedback;
  let probe: Probe;

  beforeAll(async () => {
    run = await startFeedback({ SUMMARY_SETTLE_AFTER_MS: '60000' });
    probe = await startProbe({ url: testInfra().amqpUrl, namespace: run.namespace, names: ['feedback.submitted'] });
  });
  afterAll(async () => {
    await probe?.stop();
    await run?.stop();
  });

  const summaryOf = async (eventId: string) => (await run.api.get(`/api/events/${eventId}/feedback/summary`)).body;

  /** What the summary must say, computed by scanning the feedback (the test may; the service may not). */
  async function scanned(eventId: string) {
    const docs = await run.service.store.feedback.find({ event_id: eventId, deleted_at: null }).lean();
    const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<string, number>;
    for (const doc of docs) distribution[doc.rating] = (distribution[doc.rating] ?? 0) + 1;
    const sum = docs.reduce((total, doc) => total + doc.rating, 0);
    return {
      count: docs.length,
      average: docs.length ? Math.round((sum / docs.length) * 100) / 100 : null,
      distribution,
    };
  }

  async function openEvent(attendees: number) {
    const host = testUser('host');
    const guests = people(attendees);
    const event = snapshotOf(host, run.clock.now());
    await seedAttendance(run, event, guests);
    return { event, guests, host };
  }

  /** Moves the service's clock past every event created so far. */
  const startEvents = () => run.clock.advance(1.5 * HOUR);

  it('counts 100 concurrent submissions from 100 participants exactly', async () => {
    const { event, guests } = await openEvent(100);
    startEvents();
    // 10 × 1, 15 × 2, 20 × 3, 30 × 4, 25 × 5: sum 345, average 3.45.
    const ratingOf = (i: number) => (i < 10 ? 1 : i < 25 ? 2 : i < 45 ? 3 : i < 75 ? 4 : 5);
    const replies = await Promise.all(
      guests.map((guest, i) =>
        run.api.post(`/api/events/${event.event_id}/feedback`, { rating: ratingOf(i) }, { token: run.token(guest) }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(await summaryOf(event.event_id)).toEqual({
      count: 100,
      average: 3.45,
      distribution: { 1: 10, 2: 15, 3: 20, 4: 30, 5: 25 },
    });
    const summary = await run.service.store.summaries.findById(event.event_id).lean();
    expect(summary).toMatchObject({ count: 100, sum: 345 });
    expect(await run.service.store.feedback.countDocuments({ event_id: event.event_id, pending: { $ne: null } })).toBe(
      0,
    );

    // Each one announced (at least once; the outbox may redeliver, ids stay unique per feedback).
    const ids = new Set(replies.map((r) => r.body.id as string));
    const announced = () =>
      new Set(
        (probe.received as DomainEvent<'feedback.submitted'>[])
          .filter((e) => e.data.event_id === event.event_id)
          .map((e) => e.data.feedback_id),
      );
    await eventually(() => announced().size >= 100, { timeoutMs: 30_000, what: '100 feedback.submitted' });
    expect(announced()).toEqual(ids);
  });

  it('stays exact under a concurrent mix of creates, edits and deletes by many people and by one', async () => {
    const { event, guests } = await openEvent(60);
    startEvents();
    const path = `/api/events/${event.event_id}/feedback`;
    for (const [i, guest] of guests.slice(0, 40).entries()) {
      const reply = await run.api.post(path, { rating: (i % 5) + 1 }, { token: run.token(guest) });
      expect(reply.status).toBe(201);
    }
    const one = guests[0]!;
    const replies = await Promise.all([
      ...guests
        .slice(1, 20)
        .map((g, i) => run.api.put(`${path}/mine`, { rating: 5 - (i % 5) }, { token: run.token(g) })),
      ...guests.slice(20, 30).map((g) => run.api.delete(`${path}/mine`, { token: run.token(g) })),
      ...guests.slice(40, 60).map((g, i) => run.api.post(path, { rating: (i % 3) + 2 }, { token: run.token(g) })),
      // One person changing their mind ten times at once: each edit lands whole or is refused as busy.
      ...[1, 2, 3, 4, 5, 1, 2, 3, 4, 5].map((rating) =>
        run.api.put(`${path}/mine`, { rating }, { token: run.token(one) }),
      ),
    ]);
    const statuses = replies.map((r) => r.status);
    expect(statuses.slice(0, 19)).toEqual(Array(19).fill(200));
    expect(statuses.slice(19, 29)).toEqual(Array(10).fill(200));
    expect(statuses.slice(29, 49)).toEqual(Array(20).fill(201));
    for (const status of statuses.slice(49)) expect([200, 409]).toContain(status);
    expect(statuses.slice(49).filter((s) => s === 200).length).toBeGreaterThan(0);

    const truth = await scanned(event.event_id);
    expect(truth.count).toBe(50);
    expect(await summaryOf(event.event_id)).toEqual(truth);
    const list = await run.api.get(`${path}?page_size=100`);
    expect(list.body.count).toBe(50);
  });

  it('finishes a change a crash left half-done, once, whichever step it stopped after', async () => {
    const { event, guests } = await openEvent(3);
    startEvents();
    const store = run.service.store;
    const [a, b, c] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    const announce = (f: { _id: string }) =>
      envelope({
        type: 'feedback.submitted',
        source: 'feedback',
        subject: f._id,
        data: {
          feedback_id: f._id,
          event_id: event.event_id,
          event_title: event.title,
          host: event.host,
          author: { user_id: a.id, email: a.email, name: a.name },
          rating: 4,
          comment: '',
          submitted_at: run.clock.now().toISOString(),
        },
      });
    const input = (user: typeof a, rating: number) => ({
      event_id: event.event_id,
      user_id: user.id,
      user_name: user.name,
      user_email: user.email,
      rating,
      comment: '',
    });
    // Crashed after step 1 (the feedback is written, the summary not yet changed).
    const first = await insertFeedback(store, input(a, 4), deltaOf(null, 4), announce, run.clock.now());
    // Crashed after step 2 (the summary changed, the pending mark not yet cleared).
    const second = await insertFeedback(store, input(b, 2), deltaOf(null, 2), announce, run.clock.now());
    if (!first.ok || !second.ok) throw new Error('inserts failed');
    await applyToSummary(store, event.event_id, second.feedback._id, second.feedback.pending!, run.clock.now());
    // And one that went through normally.
    expect(
      (await run.api.post(`/api/events/${event.event_id}/feedback`, { rating: 5 }, { token: run.token(c) })).status,
    ).toBe(201);
    expect(await summaryOf(event.event_id)).toMatchObject({ count: 2 });

    const pendingHere = () => store.feedback.countDocuments({ event_id: event.event_id, pending: { $ne: null } });
    expect(await pendingHere()).toBe(2);
    // Too recent for the sweep: a request may still be between its steps.
    await run.service.jobs.recovery.runNow();
    expect(await pendingHere()).toBe(2);
    expect(await summaryOf(event.event_id)).toMatchObject({ count: 2 });
    run.clock.advance(61_000);
    await run.service.jobs.recovery.runNow();
    expect(await pendingHere()).toBe(0);
    const expected = { count: 3, average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } };
    expect(await summaryOf(event.event_id)).toEqual(expected);
    // Running it again (another replica, a retry, a late sweeper holding the old change) changes nothing.
    await run.service.jobs.recovery.runNow();
    await applyToSummary(store, event.event_id, first.feedback._id, first.feedback.pending!, run.clock.now());
    await applyToSummary(store, event.event_id, second.feedback._id, second.feedback.pending!, run.clock.now());
    expect(await summaryOf(event.event_id)).toEqual(expected);
    expect(await scanned(event.event_id)).toEqual(expected);
  });

  it('deletes an event’s feedback and summary when events says the event is deleted', async () => {
    const { event, guests } = await openEvent(4);
    startEvents();
    for (const guest of guests) {
      const reply = await run.api.post(
        `/api/events/${event.event_id}/feedback`,
        { rating: 3 },
        { token: run.token(guest) },
      );
      expect(reply.status).toBe(201);
    }
    const store = run.service.store;
    expect(await store.feedback.countDocuments({ event_id: event.event_id })).toBe(4);
    await run.events.publish([
      envelope({ type: 'event.deleted', source: 'events', subject: event.event_id, data: event }),
    ]);
    await eventually(async () => (await store.feedback.countDocuments({ event_id: event.event_id })) === 0, {
      timeoutMs: 20_000,
      what: 'the feedback of the deleted event to go',
    });
    expect(await store.feedback.countDocuments({ event_id: event.event_id })).toBe(0);
    expect(await store.summaries.countDocuments({ _id: event.event_id })).toBe(0);
    expect(await store.attendances.countDocuments({ event_id: event.event_id })).toBe(0);
    expect((await run.api.get(`/api/events/${event.event_id}/feedback`)).status).toBe(404);
    // A late message about the deleted event does not bring it back.
    const late = envelope({
      type: 'event.updated',
      source: 'events',
      subject: event.event_id,
      data: { ...event, title: 'Back from the dead?', changed: ['title'] },
    });
    await run.events.publish([late]);
    const markers = run.service.mongo.collection<{ _id: string; state: string }>('processed_messages');
    await eventually(
      async () =>
        (await markers.findOne({ _id: markerId('feedback', 'projection', 'event.updated', late.id) }))?.state ===
        'done',
      { timeoutMs: 20_000, what: 'the late event.updated to be handled' },
    );
    expect(await store.events.findById(event.event_id).lean()).toMatchObject({ deleted: true, title: event.title });
    const again = await run.api.post(
      `/api/events/${event.event_id}/feedback`,
      { rating: 3 },
      { token: run.token(guests[0]!) },
    );
    expect(again.status).toBe(404);
  });
});
