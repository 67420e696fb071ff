import { randomBytes } from 'node:crypto';
import { TestClock } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor } from './invitations-support.ts';

/** Guessing tokens is pointless: 256-bit tokens, and a client that keeps missing is shut out. */
describe('invitation token guessing', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({
      services: ['auth', 'events', 'invitations'],
      env: { invitations: { TOKEN_MISSES_PER_WINDOW: '20' } },
      // Standing still: the miss window (15 min, aligned to the clock) must not roll over mid-test.
      now: new TestClock(new Date()).now,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 1,000 random tokens with 404 (the first 20) or 429 (the rest), never a match', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: ['real@example.com'] },
      { token: host.token },
    );
    const realToken = await tokenFor(stack, sent.body.created[0].id);
    expect((await stack.api.get(`/api/attendee-invitations/verify/${realToken}`)).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const guess = randomBytes(32).toString('base64url');
      const path = i % 2 === 0 ? `/api/attendee-invitations/verify/${guess}` : `/api/invites/${guess}`;
      statuses.push((await stack.api.get(path)).status);
    }
    expect(statuses.filter((s) => s === 404)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(980);

    // Shut out means shut out: the guesser cannot use a real link either, nor accept with guesses.
    const blocked = await stack.api.get(`/api/attendee-invitations/verify/${realToken}`);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOKEN_GUESSING');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const acceptGuess = await stack.api.post('/api/attendee-invitations/accept', {
      token: randomBytes(32).toString('base64url'),
    });
    expect(acceptGuess.status).toBe(429);
    expect(stack.probe.received.filter((e) => e.type === 'invitation.accepted')).toHaveLength(0);
  }, 120_000);
});
