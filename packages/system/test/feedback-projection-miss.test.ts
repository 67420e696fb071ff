import { TestClock, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Json, type SystemStack, signUp, startSystem } from '../src/index.ts';

const HOUR = 3_600_000;

/**
 * The feedback service's projection has heard nothing (its consumers are off here), so every
 * decision rests on the one read-through to events: a projection miss is never a refusal.
 */
describe('feedback on a projection miss', () => {
  let stack: SystemStack;
  const clock = new TestClock();

  beforeAll(async () => {
    stack = await startSystem({
      services: ['auth', 'events', 'feedback'],
      now: clock.now,
      env: { feedback: { CONSUMERS_ENABLED: 'false' } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function createEvent(token: string, overrides: Record<string, unknown> = {}): Promise<Json> {
    const start = new Date(clock.now().getTime() + HOUR);
    const created = await stack.api.post(
      '/api/events',
      {
        title: `Miss ${uniqueName('m')}`,
        description: 'Projection miss.',
        location: 'Room 5',
        start_time: start.toISOString(),
        end_time: new Date(start.getTime() + 2 * HOUR).toISOString(),
        max_participants: 1,
        ...overrides,
      },
      { token },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  it('accepts feedback right after the registration is confirmed, by reading through to events', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const waiting = await signUp(stack.api);
    const event = await createEvent(host.token);
    const registered = await stack.api.post(`/api/events/${event.id}/register`, {}, { token: guest.token });
    expect(registered.body.status).toBe('confirmed');
    const queued = await stack.api.post(
      `/api/events/${event.id}/register`,
      { waitlist: true },
      { token: waiting.token },
    );
    expect(queued.body.status, JSON.stringify(queued.body)).toBe('waitlisted');
    clock.advance(1.5 * HOUR);

    const store = (stack.services.feedback!.service as unknown as Handles).store;
    expect(await store.attendances.countDocuments({ event_id: event.id })).toBe(0);

    const accepted = await stack.api.post(`/api/events/${event.id}/feedback`, { rating: 5 }, { token: guest.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const refused = await stack.api.post(`/api/events/${event.id}/feedback`, { rating: 5 }, { token: waiting.token });
    expectProblem(refused, 403, { code: 'NOT_A_PARTICIPANT' });
    expect(refused.body.reason).toBe('not_confirmed');
    // What was read is kept: the event and the confirmed registration are now in the projection.
    expect(await store.attendances.countDocuments({ event_id: event.id, status: 'confirmed' })).toBe(1);

    const summary = await stack.api.get(`/api/events/${event.id}/feedback/summary`);
    expect(summary.body).toEqual({ count: 1, average: 5, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 } });
  });

  it('answers 404 for an event events does not know, and 400 before it starts', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    expectProblem(await stack.api.post('/api/events/nope/feedback', { rating: 3 }, { token: guest.token }), 404, {
      code: 'EVENT_NOT_FOUND',
    });
    const event = await createEvent(host.token);
    await stack.api.post(`/api/events/${event.id}/register`, {}, { token: guest.token });
    const early = await stack.api.post(`/api/events/${event.id}/feedback`, { rating: 3 }, { token: guest.token });
    expectProblem(early, 400, { code: 'FEEDBACK_NOT_OPEN' });
    expect(early.body.opens_at).toBe(new Date(event.start_time).toISOString());
  });
});

interface Handles {
  store: { attendances: { countDocuments(filter: object): Promise<number> } };
}
