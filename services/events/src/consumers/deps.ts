import type { DomainEvent } from '@convene/contracts';
import type { Causes } from '../store/announcements.ts';
import type { MoveContext } from '../store/registration-moves.ts';

export interface ConsumerDeps {
  moves: MoveContext;
  /** Publish what a handler wrote now rather than at the relay's next poll. */
  nudge: () => void;
}

/** What a handler writes is caused by the message it handles, in the same conversation. */
export function causedBy(message: DomainEvent): Causes {
  return { correlationid: message.correlationid ?? message.id, causationid: message.id };
}

export function movesFor(deps: ConsumerDeps, message: DomainEvent): MoveContext {
  return { ...deps.moves, causes: causedBy(message) };
}
