// What a report says about where it ran: the numbers of a shared machine mean little without it.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export function machine(): string {
  return `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The 1-, 5- and 15-minute load averages, e.g. "14.9 / 11.9 / 10.4". */
export function load(): string {
  return loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');
}
