import type { TestableService } from '@convene/testing';

/** The services a whole-system test can run, in start order (auth first: the others verify its tokens). */
export const SERVICE_NAMES = ['auth', 'events', 'invitations', 'feedback', 'notifier'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceContext {
  /** The stack's clock: every service reads it for its time decisions. */
  now: () => Date;
}

/**
 * How the system stack builds one service in-process: from the raw environment (strings, as a
 * process would get them) to a started-able service. `testEnv` is what every whole-system test
 * wants for this service (cheap hashing, fast polls); a test's own overrides win over it.
 */
export interface ServiceEntry {
  create(raw: Record<string, string>, ctx: ServiceContext): Promise<TestableService>;
  testEnv?: Record<string, string>;
}

/**
 * Each service registers itself here, lazily imported so a stack of two services does not load
 * the other three. A service that is not built yet has no entry.
 */
export const SERVICES: Partial<Record<ServiceName, () => Promise<ServiceEntry>>> = {
  auth: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([import('@convene/auth'), import('@convene/kit')]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      testEnv: {
        // Cheap hashing keeps the suite fast; production uses the argon2id defaults.
        ARGON2_MEMORY_KIB: '8192',
        ARGON2_TIME_COST: '1',
        SIGNING_KEY_PREPUBLISH_MS: '0',
        SIGNING_KEY_SECRET: 'system-tests-secret-at-least-32-characters',
        OUTBOX_POLL_MS: '200',
        // Every request of a file comes from 127.0.0.1: the per-address budget must not run out.
        LOGIN_MAX_FAILURES_PER_IP: '1000',
      },
    };
  },
  events: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/events'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      // Every request of a file comes from one user or a few: the daily quota must not run out.
      testEnv: { EVENT_CREATE_LIMIT: '1000' },
    };
  },
  notifier: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/notifier'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      // Short retry waits so an SMTP outage in a test is over in seconds, not minutes.
      testEnv: {
        SEND_RETRY_DELAYS_MS: '200,400,800',
        SEND_MAX_ATTEMPTS: '50',
        SEND_INTERVAL_MS: '100',
        // The key invitations seals link tokens with (its testEnv above).
        INVITATION_LINK_KEY: Buffer.alloc(32, 42).toString('base64'),
      },
    };
  },
  invitations: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/invitations'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      // The notifier opens the links' sealed tokens with the same key (tests open them with it too).
      testEnv: { INVITATION_LINK_KEY: Buffer.alloc(32, 42).toString('base64'), OUTBOX_POLL_MS: '200' },
    };
  },
  feedback: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/feedback'),
      import('@convene/kit'),
    ]);
    return {
      // EVENTS_URL (the read-through on a projection miss) comes from the stack: events starts first.
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      // A busy CI machine can take seconds to answer the read-through; production keeps 3 s.
      testEnv: { OUTBOX_POLL_MS: '200', EVENTS_TIMEOUT_MS: '15000' },
    };
  },
};
