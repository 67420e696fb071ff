import { describe, expect, it } from 'vitest';
import { type EventFacts, mayLeaveFeedback, mightBeStale } from './eligibility.ts';

const HOUR = 3_600_000;
const start = new Date('2030-07-20T14:00:00Z');
const event: EventFacts = {
  start_time: start,
  end_time: new Date(start.getTime() + 2 * HOUR),
  is_active: true,
  requires_check_in: false,
};
const policy = { opensAt: 'start' as const, windowMs: 14 * 24 * HOUR };
const confirmed = { status: 'confirmed' as const, checked_in: false };
const at = (ms: number) => new Date(start.getTime() + ms);

describe('mayLeaveFeedback', () => {
  it('opens at the start (or the end when so configured) and closes the window after the end', () => {
    expect(mayLeaveFeedback(event, confirmed, at(-1), policy)).toEqual({
      ok: false,
      reason: 'not_open',
      opensAt: start,
    });
    expect(mayLeaveFeedback(event, confirmed, at(0), policy)).toEqual({ ok: true });
    expect(mayLeaveFeedback(event, confirmed, at(HOUR), { ...policy, opensAt: 'end' })).toEqual({
      ok: false,
      reason: 'not_open',
      opensAt: event.end_time,
    });
    const closes = new Date(event.end_time.getTime() + policy.windowMs);
    expect(mayLeaveFeedback(event, confirmed, closes, policy)).toEqual({ ok: true });
    expect(mayLeaveFeedback(event, confirmed, new Date(closes.getTime() + 1), policy)).toEqual({
      ok: false,
      reason: 'closed',
      closedAt: closes,
    });
  });

  it('says why a person may not, before judging the time', () => {
    const early = at(-HOUR);
    expect(mayLeaveFeedback(event, null, early, policy)).toMatchObject({ reason: 'not_registered' });
    expect(mayLeaveFeedback(event, { status: 'waitlisted', checked_in: false }, early, policy)).toMatchObject({
      reason: 'not_confirmed',
    });
    expect(mayLeaveFeedback(event, { status: 'cancelled', checked_in: true }, early, policy)).toMatchObject({
      reason: 'cancelled',
    });
    expect(mayLeaveFeedback({ ...event, is_active: false }, confirmed, at(HOUR), policy)).toMatchObject({
      reason: 'event_cancelled',
    });
  });

  it('requires a check-in only when the event uses check-in', () => {
    const checkIn = { ...event, requires_check_in: true };
    expect(mayLeaveFeedback(checkIn, confirmed, at(HOUR), policy)).toMatchObject({ reason: 'not_checked_in' });
    expect(mayLeaveFeedback(checkIn, { ...confirmed, checked_in: true }, at(HOUR), policy)).toEqual({ ok: true });
  });

  it('reads through only for refusals a message in flight could overturn', () => {
    expect(mightBeStale({ ok: false, reason: 'not_registered' })).toBe(true);
    expect(mightBeStale({ ok: false, reason: 'not_checked_in' })).toBe(true);
    expect(mightBeStale({ ok: false, reason: 'cancelled' })).toBe(false);
    expect(mightBeStale({ ok: false, reason: 'not_open', opensAt: start })).toBe(false);
    expect(mightBeStale({ ok: true })).toBe(false);
  });
});
