import { uniqueName } from '@convene/testing';
import type { ServiceName } from './service-names.ts';

/** The key invitations seals link tokens with; the notifier opens them with it (tests too). */
export const TEST_INVITATION_LINK_KEY = Buffer.alloc(32, 42).toString('base64');

/** The secret auth encrypts its private signing keys with in whole-system tests. */
export const TEST_SIGNING_KEY_SECRET = 'system-tests-secret-at-least-32-characters';

/**
 * What every whole-system test wants for each service, in-process or as separate processes
 * (cheap hashing, fast polls, quotas one test file cannot exhaust); a test's own overrides win.
 */
export const SERVICE_TEST_ENV: Record<ServiceName, Record<string, string>> = {
  auth: {
    // Cheap hashing keeps the suite fast; production uses the argon2id defaults.
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    SIGNING_KEY_PREPUBLISH_MS: '0',
    SIGNING_KEY_SECRET: TEST_SIGNING_KEY_SECRET,
    OUTBOX_POLL_MS: '200',
    // Every request of a file comes from 127.0.0.1: the per-address budget must not run out.
    LOGIN_MAX_FAILURES_PER_IP: '1000',
  },
  // Every request of a file comes from one user or a few: the daily quota must not run out.
  events: { EVENT_CREATE_LIMIT: '1000' },
  notifier: {
    // Short retry waits so an SMTP outage in a test is over in seconds, not minutes.
    SEND_RETRY_DELAYS_MS: '200,400,800',
    SEND_MAX_ATTEMPTS: '50',
    SEND_INTERVAL_MS: '100',
    INVITATION_LINK_KEY: TEST_INVITATION_LINK_KEY,
  },
  invitations: { INVITATION_LINK_KEY: TEST_INVITATION_LINK_KEY, OUTBOX_POLL_MS: '200' },
  // A busy CI machine can take seconds to answer the read-through; production keeps 3 s.
  feedback: { OUTBOX_POLL_MS: '200', EVENTS_TIMEOUT_MS: '15000' },
};

/** The gateway's edge limits in whole-system tests: every request of a file comes from 127.0.0.1. */
export const GATEWAY_TEST_ENV: Record<string, string> = {
  RATE_LIMIT_PER_IP: '100000',
  RATE_LIMIT_PER_USER: '100000',
};

export interface BootstrapAdmin {
  email: string;
  username: string;
  password: string;
}

/** A bootstrap admin no other test file has (auth creates it from BOOTSTRAP_ADMIN_*). */
export function bootstrapAdmin(): BootstrapAdmin {
  const tag = uniqueName('sysadmin').replace(/[^a-z0-9]/gi, '');
  return { email: `${tag}@example.com`, username: tag, password: 'Bootstrap-Admin-Secret-7' };
}

/** Auth's environment for that admin. */
export function bootstrapAdminEnv(admin: BootstrapAdmin): Record<string, string> {
  return {
    BOOTSTRAP_ADMIN_EMAIL: admin.email,
    BOOTSTRAP_ADMIN_USERNAME: admin.username,
    BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  };
}
