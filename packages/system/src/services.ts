import type { TestableService } from '@convene/testing';
import { SERVICE_NAMES, type ServiceName } from './service-names.ts';
import { SERVICE_TEST_ENV } from './service-test-env.ts';

export { SERVICE_NAMES, type ServiceName };

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
      testEnv: SERVICE_TEST_ENV.auth,
    };
  },
  events: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/events'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      testEnv: SERVICE_TEST_ENV.events,
    };
  },
  notifier: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/notifier'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      testEnv: SERVICE_TEST_ENV.notifier,
    };
  },
  invitations: async () => {
    const [{ Env, createService }, { parseEnv }] = await Promise.all([
      import('@convene/invitations'),
      import('@convene/kit'),
    ]);
    return {
      create: (raw, { now }) => createService(parseEnv(Env, raw), { now }),
      testEnv: SERVICE_TEST_ENV.invitations,
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
      testEnv: SERVICE_TEST_ENV.feedback,
    };
  },
};
