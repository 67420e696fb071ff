import type { Logger } from '@convene/kit';
import type { AccessTokenSettings } from '../credentials/access-tokens.ts';
import type { KeyRing } from '../credentials/key-ring.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { PasswordPolicy } from '../domain/password-policy.ts';
import type { LoginFailureStore } from '../store/login-failures.ts';
import type { SessionStore } from '../store/sessions.ts';
import type { UserStore } from '../store/users.ts';

export interface Policy {
  accessToken: AccessTokenSettings;
  refreshTtlMs: number;
  refreshReuseGraceMs: number;
  invitationTtlMs: number;
  /** Base of the set-password link: PUBLIC_URL + SET_PASSWORD_PATH, the token is appended. */
  setPasswordUrlBase: string;
  passwordPolicy: PasswordPolicy;
  throttle: { maxPerAccount: number; maxPerIp: number; windowMs: number };
}

/** What every flow gets: the stores, the key ring, the hasher, the clock and the policy; built once in service.ts. */
export interface FlowContext {
  users: UserStore;
  sessions: SessionStore;
  failures: LoginFailureStore;
  keys: KeyRing;
  passwords: PasswordHasher;
  policy: Policy;
  /** The service's one clock (createService's `now`): every timestamp and expiry decision reads it. */
  now: () => Date;
  logger: Logger;
}
