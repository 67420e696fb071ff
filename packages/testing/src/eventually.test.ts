import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.ts';

describe('eventually', () => {
  it('tries again after a falsy value or an error, and resolves with the first truthy value', async () => {
    const answers: Array<() => string | undefined> = [
      () => undefined,
      () => {
        throw new Error('not yet');
      },
      () => 'ready',
      () => 'too late',
    ];
    let calls = 0;
    const value = await eventually(() => answers[calls++]!(), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('awaits an async check', async () => {
    let calls = 0;
    await expect(eventually(async () => ++calls === 2 && { calls }, { intervalMs: 1 })).resolves.toEqual({ calls: 2 });
  });

  it('gives up after timeoutMs with the last error, as cause and in the message', async () => {
    const down = new Error('still down');
    const failure = await eventually(
      () => {
        throw down;
      },
      { timeoutMs: 100, intervalMs: 10, what: 'the broker' },
    ).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^timed out after 100 ms waiting for the broker \(\d+ attempts?\); last error: still down$/,
    );
    expect((failure as Error).cause).toBe(down);
  });

  it('names the last value when the check never turned truthy', async () => {
    await expect(eventually(() => 0, { timeoutMs: 50, intervalMs: 10 })).rejects.toThrow(
      /^timed out after 50 ms waiting for condition \(\d+ attempts?\); last value: 0$/,
    );
  });

  it('fails at the bound even when an attempt never settles', async () => {
    await expect(eventually(() => new Promise<boolean>(() => {}), { timeoutMs: 50 })).rejects.toThrow(
      'timed out after 50 ms waiting for condition (1 attempt, the last still running)',
    );
  });
});
