import { describe, expect, it } from 'vitest';
import { createFixedWindow } from './fixed-window.ts';

describe('createFixedWindow', () => {
  it('allows the limit per key per window, then says how long until the window resets', () => {
    let now = 60_000 * 10 + 15_000;
    const hit = createFixedWindow({ limit: 2, windowMs: 60_000, now: () => now });
    expect(hit('a').allowed).toBe(true);
    expect(hit('a').allowed).toBe(true);
    expect(hit('b').allowed).toBe(true);
    expect(hit('a')).toEqual({ allowed: false, retryAfterSec: 45 });
    now += 44_500;
    expect(hit('a')).toEqual({ allowed: false, retryAfterSec: 1 });
    now += 1_000;
    expect(hit('a').allowed).toBe(true);
  });

  it('is off with a limit of 0', () => {
    const hit = createFixedWindow({ limit: 0, windowMs: 1000 });
    for (let i = 0; i < 100; i++) expect(hit('a').allowed).toBe(true);
  });

  it('stops tracking new keys past maxKeys instead of growing', () => {
    const hit = createFixedWindow({ limit: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    hit('a');
    hit('b');
    expect(hit('c').allowed).toBe(true);
    expect(hit('c').allowed).toBe(true);
    expect(hit('a').allowed).toBe(false);
  });
});
