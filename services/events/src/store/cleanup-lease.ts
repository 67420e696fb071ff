import type { Store } from './store.ts';

/**
 * The cleanup runs under one job lease (collection `leases`, kit's leases): one run at a time
 * across replicas and the CLI. A run renews it while it works; `minIntervalMs` (the schedule)
 * makes a replica skip the run when another ran it recently.
 */
export const CLEANUP_LEASE = 'events.cleanup';
export const CLEANUP_LEASE_TTL_MS = 5 * 60_000;

export async function takeCleanupLease(
  store: Store,
  holder: string,
  { minIntervalMs }: { minIntervalMs?: number | undefined } = {},
): Promise<boolean> {
  return store.leases.acquire(CLEANUP_LEASE, holder, {
    ttlMs: CLEANUP_LEASE_TTL_MS,
    ...(minIntervalMs ? { minIntervalMs } : {}),
  });
}

/** False when the lease was lost (it lapsed and another holder took it). */
export async function renewCleanupLease(store: Store, holder: string): Promise<boolean> {
  return store.leases.renew(CLEANUP_LEASE, holder, CLEANUP_LEASE_TTL_MS);
}

/** `ran`: the run counts as the scheduled one (a dry run does not). */
export async function releaseCleanupLease(store: Store, holder: string, { ran }: { ran: boolean }): Promise<void> {
  await store.leases.release(CLEANUP_LEASE, holder, { ran });
}
