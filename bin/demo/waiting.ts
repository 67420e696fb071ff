import { setTimeout as sleep } from 'node:timers/promises';
import { StepFailed } from './gateway-client.ts';

/**
 * Asks `read` again until it answers something (not undefined), for at most `timeoutMs`: the
 * system does some things asynchronously (a seat reserved after an acceptance, the waitlist moving
 * after a cancellation, an email sent), so the demo polls for them, within a bound.
 */
export async function pollFor<T>(
  what: string,
  read: () => Promise<T | undefined>,
  { timeoutMs = 30_000, hint }: { timeoutMs?: number; hint?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() + pause > deadline) {
      throw new StepFailed(`${what}: not within ${Math.round(timeoutMs / 1000)} s${hint ? `; ${hint}` : ''}`);
    }
    await sleep(pause);
  }
}

/**
 * Waits until `at`, showing the time left: one line rewritten in place on a terminal, a line
 * every 10 s otherwise.
 */
export async function countDownTo(at: Date, label: string, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  let lastPrinted = Number.POSITIVE_INFINITY;
  for (;;) {
    const left = at.getTime() - Date.now();
    if (left <= 0) break;
    const seconds = Math.ceil(left / 1000);
    if (out.isTTY) out.write(`\r  … ${label} in ${seconds} s `);
    else if (lastPrinted - seconds >= 10 || lastPrinted === Number.POSITIVE_INFINITY) {
      out.write(`  … ${label} in ${seconds} s\n`);
      lastPrinted = seconds;
    }
    await sleep(Math.min(left, 1_000));
  }
  if (out.isTTY) out.write('\r\x1b[2K');
}
