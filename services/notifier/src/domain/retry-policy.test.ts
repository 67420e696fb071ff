import { describe, expect, it } from 'vitest';
import { classifySmtpFailure, nextAttemptAt } from './retry-policy.ts';

describe('classifySmtpFailure', () => {
  it('gives up on a 5xx refusal and waits out everything else', () => {
    expect(classifySmtpFailure({ responseCode: 550, code: 'EENVELOPE' })).toBe('permanent');
    expect(classifySmtpFailure({ responseCode: 451 })).toBe('transient');
    expect(classifySmtpFailure({ code: 'ECONNECTION' })).toBe('transient');
    expect(classifySmtpFailure({ code: 'ETIMEDOUT' })).toBe('transient');
  });
});

describe('nextAttemptAt', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const policy = { delaysMs: [1000, 5000], maxAttempts: 4 };

  it('backs off by the listed delays, repeating the last, with at most 10% jitter', () => {
    expect(nextAttemptAt(1, policy, now, () => 0)?.getTime()).toBe(now.getTime() + 1000);
    expect(nextAttemptAt(2, policy, now, () => 0)?.getTime()).toBe(now.getTime() + 5000);
    expect(nextAttemptAt(3, policy, now, () => 0.999)?.getTime()).toBe(now.getTime() + 5500);
  });

  it('is dead after the last attempt', () => {
    expect(nextAttemptAt(4, policy, now)).toBeNull();
  });
});
