import { describe, expect, it } from 'vitest';
import { TestClock } from './test-clock.ts';

describe('TestClock', () => {
  it('stands still at the date it was given and moves exactly as told', () => {
    const clock = new TestClock(new Date('2030-01-01T00:00:00.000Z'));
    const { now } = clock;
    expect(now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    clock.advance(90_500);
    expect(now().toISOString()).toBe('2030-01-01T00:01:30.500Z');
    clock.advance(-500);
    expect(now().toISOString()).toBe('2030-01-01T00:01:30.000Z');
    clock.set(new Date('2031-06-15T12:00:00.000Z'));
    expect(now().toISOString()).toBe('2031-06-15T12:00:00.000Z');
  });

  it('without a date follows real time, shifted by what was advanced or set', () => {
    const clock = new TestClock();
    const read = (shiftMs: number) => {
      const before = Date.now();
      const at = clock.now().getTime();
      const after = Date.now();
      expect(at).toBeGreaterThanOrEqual(before + shiftMs);
      expect(at).toBeLessThanOrEqual(after + shiftMs);
    };
    read(0);
    clock.advance(3_600_000);
    read(3_600_000);
    clock.advance(-600_000);
    read(3_000_000);

    const target = new Date('2000-01-01T00:00:00.000Z').getTime();
    const setAt = Date.now();
    clock.set(new Date(target));
    const at = clock.now().getTime();
    expect(at).toBeGreaterThanOrEqual(target);
    expect(at).toBeLessThanOrEqual(target + (Date.now() - setAt));
  });

  it('freezes where it is (or at a date) and goes back to real time on reset', () => {
    const clock = new TestClock();
    clock.advance(3_600_000);
    const before = Date.now() + 3_600_000;
    clock.freeze();
    const frozen = clock.now().getTime();
    expect(frozen).toBeGreaterThanOrEqual(before);
    expect(frozen).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // Standing still: the same instant however much real time passes, moved only when told.
    expect(clock.now().getTime()).toBe(frozen);
    clock.advance(1_500);
    expect(clock.now().getTime()).toBe(frozen + 1_500);
    clock.freeze(new Date('2030-01-01T00:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');

    const resetAt = Date.now();
    clock.reset();
    const at = clock.now().getTime();
    expect(at).toBeGreaterThanOrEqual(resetAt);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a step or a date that is not a number', () => {
    const clock = new TestClock(new Date('2030-01-01T00:00:00.000Z'));
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => clock.set(new Date('not a date'))).toThrow(RangeError);
    expect(() => new TestClock(new Date('not a date'))).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});
