import type { Logger } from '@convene/kit';
import type { QuotaPolicy } from '../domain/creation-quota.ts';
import { type SeatMoves, type SeatMovesOptions, seatMoves } from '../store/seat-moves.ts';
import type { Store } from '../store/store.ts';

/** What every flow gets: the store, the clock, the seat-move engine and the service's policy. */
export interface FlowContext {
  store: Store;
  /** The service's clock: every time decision and every timestamp written reads it. */
  now: () => Date;
  moves: SeatMoves;
  quota: QuotaPolicy;
  /** `end_time` of an event created with only a start. */
  defaultDurationMs: number;
  /** The zone of an event created without one or stored before events had zones (the store's). */
  defaultTimeZone: string;
}

export interface FlowContextOptions {
  now: () => Date;
  quota?: QuotaPolicy;
  defaultDurationMs?: number;
  /** How long an offered seat is held when the event does not say. */
  defaultOfferWindowMs?: number;
  /** Crash-point tests (see store/seat-moves.ts). */
  afterStep?: SeatMovesOptions['afterStep'];
  /** Where the seat moves report a failed step 4 (done after the answer; recovery redoes it). */
  logger?: Pick<Logger, 'warn'>;
}

export function createFlowContext(
  store: Store,
  {
    now,
    quota = { limit: 5, windowMs: 86_400_000 },
    defaultDurationMs = 2 * 3_600_000,
    defaultOfferWindowMs = 86_400_000,
    afterStep,
    logger,
  }: FlowContextOptions,
): FlowContext {
  return {
    store,
    now,
    moves: seatMoves({
      store,
      now,
      defaultOfferWindowMs,
      ...(afterStep ? { afterStep } : {}),
      ...(logger ? { logger } : {}),
    }),
    quota,
    defaultDurationMs,
    defaultTimeZone: store.defaultTimeZone,
  };
}

/** The signed-in person acting (from the access token). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  username: string;
}
