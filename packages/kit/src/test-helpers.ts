import { Writable } from 'node:stream';
import { createLogger, type Logger } from './logging/create-logger.ts';

/** A real pino logger whose JSON lines the test can read back. */
export function capturedLogger(service = 'test'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ service, level: 'debug', destination }), lines };
}

export interface Latch<T = void> {
  /** Settles once `open` is called, never before. */
  promise: Promise<T>;
  open(value: T): void;
  readonly isOpen: boolean;
}

/**
 * A promise the test settles by hand, so "the handler has started" or "the check may answer now"
 * is a signal rather than a pause that hopes to be long enough.
 */
export function latch<T = void>(): Latch<T> {
  let open!: (value: T) => void;
  let isOpen = false;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return {
    promise,
    open(value: T) {
      isOpen = true;
      open(value);
    },
    get isOpen() {
      return isOpen;
    },
  };
}
