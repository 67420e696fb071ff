import { eventually, TestClock, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Json, type SystemStack, signUp, startSystem } from '../src/index.ts';

const HOUR = 3_600_000;
const RATING_ERROR = { rating: ['Rating must be a whole number from 1 to 5.'] };

/**
 * Who may leave feedback and when, through the gateway, on the real auth, events and feedback services:
 * "users can leave feedback only if they attended the event", one per event per user, 1–5, a
 * paginated list; plus the summary, check-in, cancellation and deletion rules of the issue.
 */
describe('feedback through the gateway: only from attendees, once each', () => {
  let stack: SystemStack;
  const clock = new TestClock();

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'feedback'], now: clock.now });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Person = Awaited<ReturnType<typeof signUp>>;

  /** An event starting an hour from the stack's clock, lasting two hours. */
  async function createEvent(host: Person, overrides: Record<string, unknown> = {}): Promise<Json> {
    const start = new Date(clock.now().getTime() + HOUR);
    const created = await stack.api.post(
      '/api/events',
      {
        title: `Feedback event ${uniqueName('f')}`,
        description: 'Feedback from attendees.',
        location: 'Room 4',
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 2 * HOUR).toISOString(),
        max_participants: 200,
        ...overrides,
      },
      { token: host.token },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  async function register(event: Json, guest: Person): Promise<Json> {
    const reply = await stack.api.post(`/api/events/${event.id}/register`, {}, { token: guest.token });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.status).toBe('confirmed');
    return reply.body;
  }

  const leave = (event: Json, who: Person, body: unknown) =>
    stack.api.post(`/api/events/${event.id}/feedback`, body, { token: who.token });

  /** Moves every service's clock past the event's start. */
  const startEvent = () => clock.advance(1.5 * HOUR);

  it('lets a participant leave feedback once the event started, once; refuses others with the reason', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const outsider = await signUp(stack.api);
    const event = await createEvent(host);
    await register(event, guest);

    const early = await leave(event, guest, { rating: 4, comment: 'Too early' });
    expectProblem(early, 400, { code: 'FEEDBACK_NOT_OPEN' });
    expect(early.body.detail).toBe(
      `Feedback opens when the event starts, at ${new Date(event.start_time).toISOString()}.`,
    );
    expect(early.body.opens_at).toBe(new Date(event.start_time).toISOString());

    startEvent();
    const first = await leave(event, guest, { rating: 4, comment: 'Well organised.' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ event: event.id, user: guest.id, rating: 4, comment: 'Well organised.' });

    const second = await leave(event, guest, { rating: 5 });
    expectProblem(second, 409, { code: 'FEEDBACK_EXISTS' });
    expect(second.body.detail).toContain('already left feedback');

    const stranger = await leave(event, outsider, { rating: 5 });
    expectProblem(stranger, 403, { code: 'NOT_A_PARTICIPANT' });
    expect(stranger.body.detail).toBe(
      'Only people who attended this event can leave feedback, and you were not registered for it.',
    );
    const host403 = await leave(event, host, { rating: 5 });
    expectProblem(host403, 403, { code: 'NOT_A_PARTICIPANT' });

    const anonymous = await stack.api.post(`/api/events/${event.id}/feedback`, { rating: 5 });
    expectProblem(anonymous, 401);

    const unknown = await leave({ id: 'no-such-event' }, guest, { rating: 5 });
    expectProblem(unknown, 404, { code: 'EVENT_NOT_FOUND' });

    const announced = await stack.probe.waitFor('feedback.submitted', (e) => e.data.feedback_id === first.body.id);
    expect(announced.data).toMatchObject({
      event_id: event.id,
      event_title: event.title,
      host: { user_id: host.id, email: host.person.email },
      author: { user_id: guest.id, email: guest.person.email },
      rating: 4,
      comment: 'Well organised.',
    });
    expect(
      stack.probe.received.filter((e) => e.type === 'feedback.submitted' && e.data.event_id === event.id),
    ).toHaveLength(1);
  });

  it('refuses ratings 0, 6, 3.5 and "5" naming the field, and an over-long comment naming it', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const event = await createEvent(host);
    await register(event, guest);
    startEvent();

    for (const rating of [0, 6, 3.5, '5', null]) {
      const reply = await leave(event, guest, { rating, comment: 'x' });
      expectProblem(reply, 400, { code: 'VALIDATION_FAILED', errors: RATING_ERROR });
    }
    expectProblem(await leave(event, guest, { comment: 'no rating' }), 400, {
      errors: { rating: ['This field is required.'] },
    });
    expectProblem(await leave(event, guest, { rating: 3, comment: 'x'.repeat(2001) }), 400, {
      errors: { comment: ['Ensure this field has no more than 2000 characters.'] },
    });
    expectProblem(await leave(event, guest, { rating: 3, stars: 5 }), 400, { errors: { stars: ['Unknown field.'] } });

    const summary = await stack.api.get(`/api/events/${event.id}/feedback/summary`);
    expect(summary.body).toEqual({ count: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
    expect((await leave(event, guest, { rating: 1 })).status).toBe(201);
  });

  it('lists feedback newest first, paginated, to anyone for a public event', async () => {
    const host = await signUp(stack.api);
    const guests = [await signUp(stack.api), await signUp(stack.api), await signUp(stack.api)];
    const event = await createEvent(host);
    for (const guest of guests) await register(event, guest);
    startEvent();
    const ids: string[] = [];
    for (const [i, guest] of guests.entries()) {
      const reply = await leave(event, guest, { rating: i + 3, comment: `comment ${i}` });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      ids.push(reply.body.id);
      clock.advance(1000); // distinct creation times, so "newest first" has one answer
    }

    const first = await stack.api.get(`/api/events/${event.id}/feedback?page_size=2`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.count).toBe(3);
    expect(first.body.results.map((f: Json) => f.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${stack.url}/api/events/${event.id}/feedback?page_size=2&page=2`);

    const second = await stack.api.get(`/api/events/${event.id}/feedback/?page_size=2&page=2`);
    expect(second.status).toBe(200);
    expect(second.body.results.map((f: Json) => f.id)).toEqual([ids[0]]);
    expect(second.body.next).toBeNull();
    expect(second.body.results[0]).toMatchObject({ user: guests[0]!.id, rating: 3, comment: 'comment 0' });

    expectProblem(await stack.api.get(`/api/events/${event.id}/feedback?page=3&page_size=2`), 404, {
      code: 'INVALID_PAGE',
    });
    expectProblem(await stack.api.get('/api/events/no-such-event/feedback'), 404, { code: 'EVENT_NOT_FOUND' });
  });

  it('shows an invite-only event’s feedback to its hosts only', async () => {
    const host = await signUp(stack.api);
    const outsider = await signUp(stack.api);
    const event = await createEvent(host, { visibility: 'invite_only' });
    const forHost = await stack.api.get(`/api/events/${event.id}/feedback`, { token: host.token });
    expect(forHost.status, JSON.stringify(forHost.body)).toBe(200);
    expect(forHost.body.count).toBe(0);
    expectProblem(await stack.api.get(`/api/events/${event.id}/feedback`, { token: outsider.token }), 403, {
      code: 'FEEDBACK_HOSTS_ONLY',
    });
    expectProblem(await stack.api.get(`/api/events/${event.id}/feedback/summary`, { token: outsider.token }), 403, {
      code: 'FEEDBACK_HOSTS_ONLY',
    });
  });

  it('keeps the summary right after create, edit and delete; one can edit and delete one’s own', async () => {
    const host = await signUp(stack.api);
    const [ann, bob, cay] = [await signUp(stack.api), await signUp(stack.api), await signUp(stack.api)];
    const event = await createEvent(host);
    for (const guest of [ann, bob, cay]) await register(event, guest);
    startEvent();
    const summary = async () => (await stack.api.get(`/api/events/${event.id}/feedback/summary`)).body;

    expect((await leave(event, ann, { rating: 5 })).status).toBe(201);
    expect((await leave(event, bob, { rating: 2, comment: 'Too long' })).status).toBe(201);
    expect((await leave(event, cay, { rating: 4 })).status).toBe(201);
    expect(await summary()).toEqual({ count: 3, average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });

    const edited = await stack.api.put(
      `/api/events/${event.id}/feedback/mine`,
      { rating: 3, comment: 'Fine' },
      {
        token: bob.token,
      },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ rating: 3, comment: 'Fine', user: bob.id });
    expect(await summary()).toEqual({ count: 3, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 } });
    const mine = await stack.api.get(`/api/events/${event.id}/feedback/mine`, { token: bob.token });
    expect(mine.body).toMatchObject({ rating: 3, comment: 'Fine' });

    const deleted = await stack.api.delete(`/api/events/${event.id}/feedback/mine`, { token: ann.token });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(await summary()).toEqual({ count: 2, average: 3.5, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 0 } });
    expectProblem(await stack.api.delete(`/api/events/${event.id}/feedback/mine`, { token: ann.token }), 404, {
      code: 'FEEDBACK_NOT_FOUND',
    });
    expectProblem(
      await stack.api.put(`/api/events/${event.id}/feedback/mine`, { rating: 3 }, { token: host.token }),
      404,
      {
        code: 'FEEDBACK_NOT_FOUND',
      },
    );
    expectProblem(
      await stack.api.put(`/api/events/${event.id}/feedback/mine`, { rating: '3' }, { token: bob.token }),
      400,
      { errors: RATING_ERROR },
    );

    // Deleted feedback may be given again.
    expect((await leave(event, ann, { rating: 1 })).status).toBe(201);
    expect(await summary()).toEqual({ count: 3, average: 2.67, distribution: { 1: 1, 2: 0, 3: 1, 4: 1, 5: 0 } });
    const list = await stack.api.get(`/api/events/${event.id}/feedback`);
    expect(list.body.count).toBe(3);
  });

  it('requires a check-in when the event uses check-in: unchecked refused, checked-in accepted', async () => {
    const host = await signUp(stack.api);
    const checked = await signUp(stack.api);
    const unchecked = await signUp(stack.api);
    const event = await createEvent(host, { requires_check_in: true });
    const registration = await register(event, checked);
    await register(event, unchecked);
    const checkIn = await stack.api.post(
      `/api/events/${event.id}/registrations/${registration.id}/check-in`,
      {},
      { token: host.token },
    );
    expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(200);
    startEvent();

    const refused = await leave(event, unchecked, { rating: 5 });
    expectProblem(refused, 403, { code: 'NOT_CHECKED_IN' });
    expect(refused.body.detail).toBe(
      'This event records attendance at check-in, and you were not checked in, so you cannot leave feedback.',
    );
    const accepted = await leave(event, checked, { rating: 5 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it('accepts feedback sent right after the registration was confirmed', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const event = await createEvent(host);
    await register(event, guest);
    startEvent();
    // No waiting for registration.confirmed: a projection that has not heard of it reads through.
    const reply = await leave(event, guest, { rating: 5 });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  });

  it('a cancelled registration takes away the right to leave feedback but keeps feedback already given', async () => {
    const host = await signUp(stack.api);
    const stays = await signUp(stack.api);
    const leaves = await signUp(stack.api);
    const event = await createEvent(host, { requires_check_in: false });
    await register(event, stays);
    await register(event, leaves);
    const unregistered = await stack.api.post(`/api/events/${event.id}/unregister`, {}, { token: leaves.token });
    expect(unregistered.status, JSON.stringify(unregistered.body)).toBe(200);
    await stack.probe.waitFor('registration.cancelled', (e) => e.data.attendee.user_id === leaves.id);
    // The probe has it; feedback may not yet (its own queue): wait until its projection says cancelled.
    const attendances = (stack.services.feedback!.service as unknown as FeedbackHandles).store.attendances;
    await eventually(
      async () =>
        (await attendances.countDocuments({ event_id: event.id, user_key: leaves.id, status: 'cancelled' })) === 1,
      { timeoutMs: 20_000, what: 'feedback to learn of the cancellation' },
    );
    startEvent();
    const refused = await leave(event, leaves, { rating: 5 });
    expectProblem(refused, 403, { code: 'NOT_A_PARTICIPANT' });
    expect(refused.body.detail).toBe(
      'Only people who attended this event can leave feedback, and your registration was cancelled.',
    );
    expect((await leave(event, stays, { rating: 2 })).status).toBe(201);
  });

  it('deletes an event’s feedback when the event is deleted', async () => {
    const host = await signUp(stack.api);
    const guests = [await signUp(stack.api), await signUp(stack.api)];
    const event = await createEvent(host);
    const other = await createEvent(host);
    for (const guest of guests) {
      await register(event, guest);
      await register(other, guest);
    }
    startEvent();
    for (const guest of guests) {
      expect((await leave(event, guest, { rating: 4 })).status).toBe(201);
      expect((await leave(other, guest, { rating: 3 })).status).toBe(201);
    }
    const feedback = (stack.services.feedback!.service as unknown as FeedbackHandles).store.feedback;
    expect(await feedback.countDocuments({ event_id: event.id })).toBe(2);

    const removed = await stack.api.delete(`/api/events/${event.id}`, { token: host.token });
    expect([200, 204], JSON.stringify(removed.body)).toContain(removed.status);
    await stack.probe.waitFor('event.deleted', (e) => e.data.event_id === event.id);
    await eventually(async () => (await feedback.countDocuments({ event_id: event.id })) === 0, {
      timeoutMs: 20_000,
      what: 'the deleted event’s feedback to be gone',
    });
    expectProblem(await stack.api.get(`/api/events/${event.id}/feedback`), 404, { code: 'EVENT_NOT_FOUND' });
    expectProblem(await stack.api.get(`/api/events/${event.id}/feedback/summary`), 404, { code: 'EVENT_NOT_FOUND' });
    // The other event keeps its feedback.
    expect(await feedback.countDocuments({ event_id: other.id })).toBe(2);
    expect((await stack.api.get(`/api/events/${other.id}/feedback/summary`)).body.count).toBe(2);
  });
});

interface FeedbackHandles {
  store: {
    feedback: { countDocuments(filter: object): Promise<number> };
    attendances: { countDocuments(filter: object): Promise<number> };
  };
}
