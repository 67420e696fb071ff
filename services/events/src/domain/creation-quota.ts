/**
 * Event creation quota: at most `limit` creations per user in any rolling `windowMs`. The store
 * keeps the last `limit` creation times per user (oldest first) and admits a creation only in a
 * conditional update, so replicas cannot both take the last slot.
 */
export interface QuotaPolicy {
  limit: number;
  windowMs: number;
}

/** Whether one more creation fits, given the kept creation times (oldest first). */
export function quotaAllows(stamps: readonly Date[], now: Date, { limit, windowMs }: QuotaPolicy): boolean {
  const recent = stamps.filter((s) => s.getTime() > now.getTime() - windowMs);
  return recent.length < limit;
}

/** Seconds until the oldest creation inside the window leaves it (Retry-After). */
export function retryAfterSeconds(stamps: readonly Date[], now: Date, { limit, windowMs }: QuotaPolicy): number {
  const recent = stamps.filter((s) => s.getTime() > now.getTime() - windowMs).sort((a, b) => a.getTime() - b.getTime());
  const blocking = recent[recent.length - limit];
  if (!blocking) return 0;
  return Math.max(1, Math.ceil((blocking.getTime() + windowMs - now.getTime()) / 1000));
}
