import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads the units the CLI and the environment use', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
  });

  it('refuses what is not a positive duration', () => {
    for (const text of ['30', 'd', '-1d', '0s', '1y', '']) expect(parseDuration(text)).toBeUndefined();
  });
});
