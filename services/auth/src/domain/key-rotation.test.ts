import { describe, expect, it } from 'vitest';
import { activeKey, expiredKeys, publishedKeys, retiredAfter, rotationDue } from './key-rotation.ts';

const t = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 0, minutes));
const window = { accessTokenTtlMs: 15 * 60_000, graceMs: 60_000 };
const k1 = { kid: 'k1', generation: 1, activates_at: t(0) };
const k2 = { kid: 'k2', generation: 2, activates_at: t(100) };
const k3 = { kid: 'k3', generation: 3, activates_at: t(200) };

describe('signing key rotation rules', () => {
  it('signs with the newest key whose activation time has come', () => {
    expect(activeKey([k1, k2, k3], t(50))?.kid).toBe('k1');
    expect(activeKey([k1, k2, k3], t(150))?.kid).toBe('k2');
    expect(activeKey([k3, k1, k2], t(250))?.kid).toBe('k3');
    expect(activeKey([k2], t(50))).toBeUndefined();
  });

  it('publishes a pending key before it signs', () => {
    expect(publishedKeys([k1, k2], t(50), window).map((k) => k.kid)).toEqual(['k2', 'k1']);
  });

  it('keeps a replaced key published for one token lifetime plus the grace, then drops it', () => {
    expect(retiredAfter(k1, [k1, k2], t(150), window)).toEqual(t(116));
    expect(publishedKeys([k1, k2], t(115), window).map((k) => k.kid)).toEqual(['k2', 'k1']);
    expect(publishedKeys([k1, k2], t(116), window).map((k) => k.kid)).toEqual(['k2']);
    expect(expiredKeys([k1, k2], t(116), window).map((k) => k.kid)).toEqual(['k1']);
  });

  it('never drops the active key, even an old one', () => {
    expect(publishedKeys([k1], t(10_000), window).map((k) => k.kid)).toEqual(['k1']);
    expect(expiredKeys([k1], t(10_000), window)).toEqual([]);
  });

  it('asks for a rotation when the newest key is older than the maximum age (0 = never)', () => {
    expect(rotationDue([k1], t(59), 3_600_000)).toBe(false);
    expect(rotationDue([k1], t(60), 3_600_000)).toBe(true);
    expect(rotationDue([k1, k2], t(130), 3_600_000)).toBe(false);
    expect(rotationDue([], t(0), 3_600_000)).toBe(true);
    expect(rotationDue([k1], t(10_000), 0)).toBe(false);
  });
});
