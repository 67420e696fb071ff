/**
 * A clock the test moves, for code that takes a `now: () => Date` option (expiry, leases,
 * reminders), so no test waits for real time to pass.
 *
 * `new TestClock()` follows real time, shifted by what the test advanced or set: timestamps keep
 * increasing between calls, as code that orders or dedupes by time may need. `new TestClock(date)`
 * stands still at `date` and moves only when told to, for exact assertions on computed times.
 */
export class TestClock {
  #offsetMs = 0;
  #frozenAtMs: number | undefined;

  constructor(frozenAt?: Date) {
    if (frozenAt) this.#frozenAtMs = TestClock.#ms(frozenAt);
  }

  /** The current time; an arrow function, so `now: clock.now` can be passed on as it is. */
  readonly now = (): Date => new Date(this.#frozenAtMs ?? Date.now() + this.#offsetMs);

  /** Moves the clock `ms` milliseconds (negative goes back, as a skewed clock would). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`TestClock.advance needs a finite number of ms, got ${ms}`);
    if (this.#frozenAtMs === undefined) this.#offsetMs += ms;
    else this.#frozenAtMs += ms;
  }

  /** Puts the clock at `date` (a running clock goes on from there). */
  set(date: Date): void {
    const ms = TestClock.#ms(date);
    if (this.#frozenAtMs === undefined) this.#offsetMs = ms - Date.now();
    else this.#frozenAtMs = ms;
  }

  /**
   * Stops the clock at `at` (where it is by default): it moves only when told to from then on, so
   * durations the code reports (Retry-After, expiry dates) are exact however long the test takes.
   */
  freeze(at: Date = this.now()): void {
    this.#frozenAtMs = TestClock.#ms(at);
    this.#offsetMs = 0;
  }

  /** Real time again: running, and neither advanced nor set. */
  reset(): void {
    this.#frozenAtMs = undefined;
    this.#offsetMs = 0;
  }

  static #ms(date: Date): number {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError('TestClock needs a valid Date');
    return ms;
  }
}
