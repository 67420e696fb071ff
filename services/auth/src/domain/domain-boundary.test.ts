import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// STYLE.md: domain code does not import HTTP, mongoose or amqplib (nor the packages wrapping them).
const FORBIDDEN =
  /from ['"](hono|hono\/.*|@hono\/.*|mongoose|mongodb|amqplib|@convene\/kit|@convene\/bus|jose|@node-rs\/.*)['"]/;

describe('src/domain', () => {
  it('imports no I/O library', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const offenders = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => FORBIDDEN.test(readFileSync(`${dir}/${file}`, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
