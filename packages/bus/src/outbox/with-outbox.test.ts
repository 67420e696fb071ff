import { describe, expect, it } from 'vitest';
import { userActivated } from '../test-support/envelopes.ts';
import { withOutbox } from './with-outbox.ts';

describe('withOutbox', () => {
  const now = new Date('2030-01-01T00:00:00.000Z');

  it('pushes the envelopes and raises outbox_at alongside the update’s own operators', () => {
    const e1 = userActivated();
    const e2 = userActivated();
    const update = withOutbox(
      { $inc: { seats_left: -1 }, $set: { status: 'full' }, $push: { log: 'x' } },
      [e1, e2],
      now,
    );
    expect(update).toEqual({
      $inc: { seats_left: -1 },
      $set: { status: 'full' },
      $push: { log: 'x', outbox: { $each: [e1, e2] } },
      $max: { outbox_at: now },
    });
  });

  it('treats plain top-level fields as $set', () => {
    const e = userActivated();
    expect(withOutbox({ name: 'a' }, [e], now)).toEqual({
      $set: { name: 'a' },
      $push: { outbox: { $each: [e] } },
      $max: { outbox_at: now },
    });
  });

  it('leaves an update without envelopes unchanged', () => {
    const update = { $set: { a: 1 } };
    expect(withOutbox(update, [], now)).toBe(update);
  });

  it('refuses an update that already writes the outbox', () => {
    expect(() => withOutbox({ $set: { outbox_at: null } }, [userActivated()])).toThrow(/outbox_at/);
    expect(() => withOutbox({ $push: { outbox: 1 } }, [userActivated()])).toThrow(/outbox/);
    expect(() => withOutbox({ $unset: { 'outbox.0': 1 } }, [userActivated()])).toThrow(/outbox/);
  });
});
