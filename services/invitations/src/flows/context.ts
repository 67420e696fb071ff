import { sealingKey } from '@convene/contracts';
import type { Logger } from '@convene/kit';
import { type EventDirectory, eventDirectory } from '../clients/event-directory.ts';
import { type UserDirectory, userDirectory } from '../clients/user-directory.ts';
import type { FlowSettings } from '../env.ts';
import type { Store } from '../store/store.ts';

export interface Policy {
  ttlMs: number;
  maxResends: number;
  reminderLeadMs: number;
  missesPerWindow: number;
  missWindowMs: number;
  importMaxRows: number;
  importBatchSize: number;
}

/**
 * What every flow gets: the store, the clock, the directories, the sealing key and the policy.
 * No nudge: kit's openService publishes the outbox after each write request, handled message and
 * job run (the CLI, outside it, drains what it wrote itself).
 */
export interface FlowContext {
  store: Store;
  now: () => Date;
  events: EventDirectory;
  users: UserDirectory;
  /** INVITATION_LINK_KEY: seals the link's token for the notifier. */
  linkKey: Buffer;
  /** The gateway's public address (the link's page lives there). */
  publicUrl: string;
  policy: Policy;
  logger: Logger;
}

/**
 * The one way to build a FlowContext: the service and the operator CLI both call it, so a flow
 * that needs something new cannot compile against a context one of them forgot to give.
 */
export function flowContext(
  store: Store,
  settings: FlowSettings,
  { now, logger }: { now: () => Date; logger: Logger },
): FlowContext {
  const timeoutMs = settings.INTERNAL_READ_TIMEOUT_MS;
  return {
    store,
    now,
    events: eventDirectory(store, { eventsUrl: settings.EVENTS_URL, timeoutMs, now }),
    users: userDirectory({ authUrl: settings.AUTH_URL, timeoutMs }),
    linkKey: sealingKey(settings.INVITATION_LINK_KEY),
    publicUrl: settings.PUBLIC_URL,
    policy: {
      ttlMs: settings.INVITATION_TTL_MS,
      maxResends: settings.MAX_RESENDS,
      reminderLeadMs: settings.REMINDER_LEAD_MS,
      missesPerWindow: settings.TOKEN_MISSES_PER_WINDOW,
      missWindowMs: settings.TOKEN_MISS_WINDOW_MS,
      importMaxRows: settings.IMPORT_MAX_ROWS,
      importBatchSize: settings.IMPORT_BATCH_SIZE,
    },
    logger,
  };
}

/** The person acting (from the access token). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  username: string;
}
