import type { DomainEvent } from '@convene/contracts';
import type { FlowContext } from '../flows/context.ts';
import type { Causes } from '../store/announcements.ts';

/** What the handlers call: the flows (kit's subscribe keeps the once-markers and nudges the relay). */
export interface ConsumerDeps {
  flows: FlowContext;
}

/** What a handler writes is caused by the message it handles, in the same conversation. */
export function causedBy(message: DomainEvent): Causes {
  return { correlationid: message.correlationid ?? message.id, causationid: message.id };
}
