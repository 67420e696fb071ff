/** What the rotation rules need to know about a stored signing key. */
export interface KeyTimeline {
  kid: string;
  /** Strictly increasing; a unique index makes two concurrent rotations pick one winner. */
  generation: number;
  /** Published from creation, used for signing from here on (new keys are announced first). */
  activates_at: Date;
}

export interface RotationWindow {
  /** Longest life of an access token signed with any key. */
  accessTokenTtlMs: number;
  /**
   * How long after a newer key activates an older one may still sign (replicas notice the new key
   * on their next key refresh) plus the verifiers' clock tolerance.
   */
  graceMs: number;
}

/** The key new tokens are signed with: the newest one whose activation time has come. */
export function activeKey<K extends KeyTimeline>(keys: readonly K[], now: Date): K | undefined {
  let best: K | undefined;
  for (const key of keys) {
    if (key.activates_at.getTime() > now.getTime()) continue;
    if (!best || key.generation > best.generation) best = key;
  }
  return best;
}

/**
 * The key that took over from `key`, if one has: the next generation already active. Tokens
 * signed with `key` exist until that moment plus the token lifetime.
 */
function successorOf<K extends KeyTimeline>(key: K, keys: readonly K[], now: Date): K | undefined {
  let next: K | undefined;
  for (const other of keys) {
    if (other.generation <= key.generation || other.activates_at.getTime() > now.getTime()) continue;
    if (!next || other.generation < next.generation) next = other;
  }
  return next;
}

/** When `key` can no longer have valid tokens in circulation; undefined while it is current or pending. */
export function retiredAfter<K extends KeyTimeline>(
  key: K,
  keys: readonly K[],
  now: Date,
  window: RotationWindow,
): Date | undefined {
  const successor = successorOf(key, keys, now);
  if (!successor) return undefined;
  const last = Math.max(successor.activates_at.getTime(), key.activates_at.getTime());
  return new Date(last + window.accessTokenTtlMs + window.graceMs);
}

/**
 * Keys the JWKS lists: pending ones (so verifiers know them before the first token),
 * the active one, and older ones until every token they signed has expired.
 */
export function publishedKeys<K extends KeyTimeline>(keys: readonly K[], now: Date, window: RotationWindow): K[] {
  return keys
    .filter((key) => {
      const retired = retiredAfter(key, keys, now, window);
      return retired === undefined || retired.getTime() > now.getTime();
    })
    .sort((a, b) => b.generation - a.generation);
}

/** Keys that no token can need any more; safe to delete. */
export function expiredKeys<K extends KeyTimeline>(keys: readonly K[], now: Date, window: RotationWindow): K[] {
  const keep = new Set(publishedKeys(keys, now, window).map((key) => key.kid));
  return keys.filter((key) => !keep.has(key.kid));
}

/** Time for the scheduled rotation: the newest key (active or pending) is older than maxAgeMs. */
export function rotationDue<K extends KeyTimeline>(keys: readonly K[], now: Date, maxAgeMs: number): boolean {
  if (maxAgeMs <= 0) return false;
  const newest = keys.reduce<K | undefined>((a, b) => (!a || b.generation > a.generation ? b : a), undefined);
  if (!newest) return true;
  return now.getTime() - newest.activates_at.getTime() >= maxAgeMs;
}
