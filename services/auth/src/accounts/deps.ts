import type { Logger } from '@convene/kit';
import type { AccessTokenSettings } from '../credentials/access-tokens.ts';
import type { KeyRing } from '../credentials/key-ring.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { PasswordPolicy } from '../domain/password-policy.ts';
import type { LoginFailureStore } from '../store/login-failures.ts';
import type { SessionStore } from '../store/sessions.ts';
import type { UserStore } from '../store/users.ts';

export interface AuthSettings {
  accessToken: AccessTokenSettings;
  refreshTtlSec: number;
  refreshReuseGraceSec: number;
  invitationTtlSec: number;
  /** Base of the set-password link: PUBLIC_URL + SET_PASSWORD_PATH, the token is appended. */
  setPasswordUrlBase: string;
  passwordPolicy: PasswordPolicy;
  throttle: { maxPerAccount: number; maxPerIp: number; windowSec: number };
}

/** Everything the account use cases touch; built once in service.ts. */
export interface AuthDeps {
  users: UserStore;
  sessions: SessionStore;
  failures: LoginFailureStore;
  keys: KeyRing;
  passwords: PasswordHasher;
  settings: AuthSettings;
  /** Publish queued events now instead of at the relay's next poll. */
  nudge(): void;
  now(): Date;
  logger: Logger;
}
