export {
  type DeadLetter,
  DeadLetterQueues,
  type DiscardOutcome,
  deadLetterQueues,
  type ReplayOutcome,
  type Selection,
  type WalkProgress,
} from './dead-letters.ts';
export {
  type DeadLetterOrigin,
  deadLetterOrigin,
  REPLAYED_AT_HEADER,
  REPLAYS_HEADER,
  replayHeaders,
} from './origin.ts';
