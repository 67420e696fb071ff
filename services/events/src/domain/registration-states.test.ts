import { describe, expect, it } from 'vitest';
import { type Counter, exitTransition, expectedCounters, transitions } from './registration-states.ts';

describe('registration state machine', () => {
  it('keeps seats_left = capacity − confirmed(without bypass) − held across every move', () => {
    // For every transition: applying its counter change to counters consistent with some
    // registrations gives counters consistent with those registrations after the move.
    for (const t of Object.values(transitions)) {
      for (const from of t.from) {
        const bypassed = t.kind === 'release_bypass' || t.kind === 'promote_bypass' || t.kind === 'register_bypass';
        const before = [
          { status: from, bypassed: t.kind === 'release_bypass' },
          { status: 'confirmed' as const, bypassed: false },
        ];
        const after = [{ status: t.to, bypassed: t.to === 'confirmed' && bypassed }, before[1]!];
        const counters = expectedCounters(10, before);
        const moved = { ...counters } as Record<string, number>;
        for (const [counter, delta] of Object.entries(t.inc) as [Counter, number][]) {
          if (counter !== 'waitlist_seq') moved[counter] = (moved[counter] ?? 0) + delta;
        }
        expect(moved, `${t.kind} from ${from}`).toEqual(expectedCounters(10, after));
      }
    }
  });

  it('guards every move that takes a seat with a free seat, and direct registrations with an empty line', () => {
    const takingASeat = Object.values(transitions).filter((t) => (t.inc.seats_left ?? 0) < 0);
    expect(takingASeat.map((t) => t.kind).sort()).toEqual(['offer', 'promote', 'register']);
    for (const t of takingASeat) expect(t.guards, t.kind).toContain('seat');
    // A seat-guarded move that takes no seat would refuse for nothing.
    const seatGuarded = Object.values(transitions).filter((t) => t.guards.includes('seat'));
    expect(seatGuarded.map((t) => t.kind).sort()).toEqual(['offer', 'promote', 'register']);
    expect(transitions.register.guards).toContain('queue_empty');
    expect(transitions.promote.guards).not.toContain('queue_empty');
  });

  it('gives back what a registration holds when it leaves', () => {
    expect(exitTransition('confirmed', false)?.kind).toBe('release_seat');
    expect(exitTransition('confirmed', true)?.kind).toBe('release_bypass');
    expect(exitTransition('waitlisted', false)?.kind).toBe('leave_waitlist');
    expect(exitTransition('offered', false)?.kind).toBe('release_offer');
    expect(exitTransition('cancelled', false)).toBeUndefined();
  });
});
