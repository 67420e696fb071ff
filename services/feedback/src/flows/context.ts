import { emailKey } from '@convene/domain-kit';
import type { FeedbackPolicy, Verdict } from '../domain/eligibility.ts';
import type { Store } from '../store/store.ts';
import type { EventsClient } from '../upstream/events-client.ts';

/** What every flow works with; built once in service.ts. */
export interface FlowContext {
  store: Store;
  events: EventsClient;
  policy: FeedbackPolicy;
  commentMaxLength: number;
  /** The service's one clock. */
  now: () => Date;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** The signed-in person acting. */
export interface Actor {
  id: string;
  email: string;
  name: string;
}

/** The keys a person's registration can be stored under: their id, or the email they were invited at. */
export function keysOf(actor: Actor): string[] {
  return [actor.id, emailKey(actor.email)];
}

export type Refusal = Exclude<Verdict, { ok: true }>;

export type Outcome<T> =
  | ({ ok: true } & T)
  | Refusal
  | { ok: false; reason: 'event_not_found' | 'feedback_not_found' | 'duplicate' | 'busy' | 'hosts_only' };
