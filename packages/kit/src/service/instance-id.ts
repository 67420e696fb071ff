import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name among a service's replicas — `<host>:<pid>:<8 hex>` — for lease holders,
 * claim tokens and log lines. The random part keeps two processes apart even when a container
 * runtime reuses host names and pids.
 */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
