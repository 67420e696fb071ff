import type { Logger } from '@convene/kit';
import type { EventDirectory } from '../clients/event-directory.ts';
import type { UserDirectory } from '../clients/user-directory.ts';
import type { Causes } from '../store/announcements.ts';
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

/** The person acting (from the access token). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  username: string;
}

export interface FlowCall {
  ctx: FlowContext;
  causes?: Causes;
}
