import type { Logger } from '../logging/create-logger.ts';

export interface DependencyStatesOptions {
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Told every verdict (the service's `convene_dependency_up` gauge). */
  onVerdict?: (name: string, required: boolean, up: boolean) => void;
}

export interface DependencyStates {
  /** A check's verdict: 'ok', or why not. */
  record(name: string, required: boolean, verdict: string): void;
  /** The last verdict of each dependency checked so far. */
  current(): Record<string, { required: boolean; up: boolean }>;
}

/**
 * Remembers whether each dependency answered its last check, so the log says it once when one
 * goes down (warn) and once when it is back (info), however often probes and scrapes ask.
 */
export function dependencyStates({ logger, onVerdict }: DependencyStatesOptions): DependencyStates {
  const states = new Map<string, { required: boolean; up: boolean }>();
  return {
    record(name, required, verdict) {
      const up = verdict === 'ok';
      const before = states.get(name);
      states.set(name, { required, up });
      onVerdict?.(name, required, up);
      if (before?.up === up) return;
      const fields = { dependency: name, required };
      // Readiness is lost only with a required one; a broker outage is ridden out by the outbox.
      const consequence = required ? 'not ready until it is back' : 'degraded until it is back';
      if (!up) logger.warn({ ...fields, reason: verdict }, `${name} is unavailable; ${consequence}`);
      else if (before) logger.info(fields, `${name} is available again`);
    },
    current() {
      return Object.fromEntries(states);
    },
  };
}
