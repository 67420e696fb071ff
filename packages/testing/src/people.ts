/** A password auth's policy accepts. */
export const STRONG_PASSWORD = 'Corr3ct-Horse-Battery';

let counter = 0;

/**
 * Makes fresh, valid registration bodies (with `password2` and the names, as the legacy events
 * API's clients send them) whose username and email start with `prefix` and are unique across
 * test processes.
 */
export function personFactory(prefix: string) {
  return (overrides: Record<string, string> = {}) => {
    counter += 1;
    const tag = `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
    return {
      username: tag,
      email: `${tag}@example.com`,
      password: STRONG_PASSWORD,
      password2: STRONG_PASSWORD,
      first_name: 'Test',
      last_name: 'Person',
      ...overrides,
    };
  };
}

/** The account part of auth's login answer. */
export interface AuthUser {
  id: string;
  username: string;
  email: string;
  role: string;
}

/** Auth's login answer. */
export interface AuthSession<User = AuthUser> {
  access: string;
  refresh: string;
  user: User;
}
