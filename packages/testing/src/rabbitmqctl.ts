import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian and the upstream packages put rabbitmqctl; /usr/sbin is often not on a user's PATH. */
const USUAL_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/lib/rabbitmq/bin'];

/**
 * The rabbitmqctl to run: `RABBITMQCTL` when set, else the first executable one on PATH or in the
 * usual system directories; undefined when the machine has none (tests against containers).
 */
export function rabbitmqctlPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RABBITMQCTL) return env.RABBITMQCTL;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...USUAL_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'rabbitmqctl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
