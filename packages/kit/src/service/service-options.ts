import { createVerifier, type Verifier } from '../auth/create-verifier.ts';
import type { Logger } from '../logging/create-logger.ts';

/** What every service's `createService(env, opts)` takes besides its environment. */
export interface ServiceOptions {
  logger?: Logger;
  /** Verify tokens with this instead of fetching AUTH_JWKS_URL (tests). */
  verifier?: Verifier;
  /** The service's one clock (tests move it; production: the wall clock), handed to openService once. */
  now?: () => Date;
}

/** The part of BaseEnv that says whose access tokens a service accepts. */
export interface TokenEnv {
  AUTH_JWKS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
}

/** The verifier a service checks access tokens with: the one it was given, or one on AUTH_JWKS_URL. */
export function serviceVerifier(env: TokenEnv, given?: Verifier): Verifier {
  return given ?? createVerifier({ jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });
}
