import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';

/** Silent unless BUS_TEST_LOG=1, then one JSON line per entry on stderr. */
export function testLogger(name: string): Logger {
  if (process.env.BUS_TEST_LOG !== '1') return silentLogger;
  const write = (level: string) => (obj: object, msg?: string) =>
    process.stderr.write(`${JSON.stringify({ t: Date.now(), level, name, msg, ...obj })}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
