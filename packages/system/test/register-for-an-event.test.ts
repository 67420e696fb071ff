import { describe, expect } from 'vitest';
import { eventBody, signUp, systemTest } from '../src/index.ts';

const it = systemTest({ services: ['auth', 'events'] });

describe('the system stack', () => {
  it('serves a host and a guest through the gateway: create an event, register, appear among participants', async ({
    stack,
  }) => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const created = await stack.api.post('/api/events', eventBody({ max_participants: 1 }), { token: host.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const registered = await stack.api.post(`/api/events/${created.body.id}/register`, {}, { token: guest.token });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body.status).toBe('confirmed');

    const confirmed = await stack.probe.waitFor(
      'registration.confirmed',
      (e) => e.data.event.event_id === created.body.id,
    );
    expect(confirmed.data.attendee.user_id).toBe(guest.id);

    const participants = await stack.api.get(`/api/events/${created.body.id}/participants`, { token: host.token });
    expect(participants.status).toBe(200);
    expect(participants.body.results.map((p: { user: string }) => p.user)).toEqual([guest.id]);
  });
});
