import { testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCountersMatch } from './support/counters.ts';
import { futureIso, type RunningEvents, startEvents } from './support/harness.ts';

describe('overbooking', () => {
  let ev: RunningEvents;
  beforeAll(async () => {
    ev = await startEvents({ JOBS_ENABLED: 'false' });
  });
  afterAll(async () => ev?.stop());

  it('500 concurrent registrations from 500 users for 50 seats confirm exactly 50; the rest are refused or waitlisted', async () => {
    const host = testUser('host');
    const created = await ev.api.post(
      '/api/events',
      { title: 'Hot ticket', start_time: futureIso(72), location: 'Main hall', max_participants: 50 },
      { token: await ev.token(host) },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const users = Array.from({ length: 500 }, (_, i) => testUser(`fan${i}`));
    const tokens = await Promise.all(users.map((u) => ev.token(u)));

    const started = Date.now();
    // Every third user would rather wait in line than be refused.
    const replies = await Promise.all(
      tokens.map((token, i) =>
        ev.api.post(`/api/events/${id}/register`, i % 3 === 0 ? { waitlist: true } : undefined, { token }),
      ),
    );
    const elapsed = Date.now() - started;

    const confirmed = replies.filter((r) => r.status === 201 && r.body.status === 'confirmed');
    const waitlisted = replies.filter((r) => r.status === 201 && r.body.status === 'waitlisted');
    const full = replies.filter((r) => r.status === 400 && r.body.detail === 'This event is full.');
    const other = replies.filter((r) => !confirmed.includes(r) && !waitlisted.includes(r) && !full.includes(r));
    expect(other.map((r) => [r.status, r.body])).toEqual([]);
    expect(confirmed).toHaveLength(50);
    expect(confirmed.length + waitlisted.length + full.length).toBe(500);
    // Those who asked to wait were confirmed or waitlisted, never refused; the others confirmed or refused.
    const wanted = (i: number) => i % 3 === 0;
    const outcome = (r: (typeof replies)[number]) => (r.status === 201 ? (r.body.status as string) : 'full');
    const waiters = replies.filter((_, i) => wanted(i)).map(outcome);
    expect(waiters.filter((o) => o !== 'confirmed' && o !== 'waitlisted')).toEqual([]);
    expect(replies.filter((_, i) => !wanted(i) && outcome(replies[i]!) === 'waitlisted')).toEqual([]);
    // 167 asked to wait and at most 50 got a seat.
    expect(waitlisted).toHaveLength(waiters.filter((o) => o === 'waitlisted').length);
    expect(waitlisted.length).toBeGreaterThanOrEqual(167 - 50);

    const { event, regs } = await assertCountersMatch(ev.service.store, id);
    expect(event.confirmed_count).toBe(50);
    expect(event.seats_left).toBe(0);
    expect(event.waitlist_count).toBe(waitlisted.length);
    expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(50);
    // Every join took its own place in line: the sequence handed out 1..n with no number twice
    // (positions come from the update's pre-image, which concurrent writers cannot share) and none
    // lost (every join that took a number finished: nothing here undoes a move).
    const positions = regs
      .filter((r) => r.status === 'waitlisted')
      .map((r) => r.waitlist_pos)
      .sort((a, b) => a! - b!);
    expect(positions).toEqual(Array.from({ length: waitlisted.length }, (_, i) => i + 1));
    expect(event.waitlist_seq).toBe(waitlisted.length);
    // Each waitlisted answer named its registration's place as it stood then, never one ahead of it.
    const positionOf = new Map(regs.map((r) => [r._id, r.waitlist_pos]));
    for (const reply of waitlisted) {
      expect(reply.body.waitlist_position).toBeGreaterThanOrEqual(1);
      expect(reply.body.waitlist_position).toBeLessThanOrEqual(positionOf.get(reply.body.id as string)!);
    }

    const shown = await ev.api.get(`/api/events/${id}`);
    expect(shown.body).toMatchObject({ attendees_count: 50, available_spots: 0, waitlist_count: waitlisted.length });
    console.info(
      `500 registrations in ${elapsed} ms: 50 confirmed, ${waitlisted.length} waitlisted, ${full.length} full`,
    );
  }, 120_000);
});
