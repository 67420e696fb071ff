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
