import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { duration, flag, parseDuration } from './env-values.ts';

describe('parseDuration', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['45s', 45_000],
    ['90m', 5_400_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['1.5s', 1500],
    [' 10 S ', 10_000],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '-5s', '10 years', '5x', '1e3'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('duration()', () => {
  const Env = z.object({ WINDOW_MS: duration('24h', { min: 1000 }) });

  it('parses the fallback like a value', () => {
    expect(Env.parse({}).WINDOW_MS).toBe(86_400_000);
  });

  it('parses a value with or without a unit', () => {
    expect(Env.parse({ WINDOW_MS: '15m' }).WINDOW_MS).toBe(900_000);
    expect(Env.parse({ WINDOW_MS: '2500' }).WINDOW_MS).toBe(2500);
  });

  it('names what is wrong', () => {
    const bad = Env.safeParse({ WINDOW_MS: 'tomorrow' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Expected a duration such as 1500, 500ms, 30s, 15m, 24h or 7d');
    const small = Env.safeParse({ WINDOW_MS: '10ms' });
    expect(small.error?.issues[0]?.message).toBe('Must be at least 1000 ms');
  });
});

describe('flag()', () => {
  const Env = z.object({ ON: flag(true), OFF: flag(false) });

  it('defaults', () => {
    expect(Env.parse({})).toEqual({ ON: true, OFF: false });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['False', false],
  ])('%s → %s', (raw, value) => {
    expect(Env.parse({ ON: raw }).ON).toBe(value);
  });

  it.each(['yes', 'on', '', '2'])('refuses %j', (raw) => {
    const bad = Env.safeParse({ ON: raw });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Expected true, false, 1 or 0');
  });
});
