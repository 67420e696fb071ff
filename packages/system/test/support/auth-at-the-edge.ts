/**
 * Auth's settings for the suites about auth behind the gateway (they lived in the gateway's
 * through-gateway tests): on top of startSystem's auth test settings, any second use of a rotated
 * refresh token is theft here (no grace for a lost response).
 */
export const AUTH_AT_THE_EDGE: Record<string, string> = {
  REFRESH_REUSE_GRACE_MS: '0',
};
