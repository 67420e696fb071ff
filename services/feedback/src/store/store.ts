import { ensureIndexes as ensureModelIndexes } from '@convene/kit';
import type { Connection } from 'mongoose';
import {
  type AttendanceModel,
  attendanceModel,
  type EventModel,
  eventModel,
  type FeedbackModel,
  feedbackModel,
  type SummaryModel,
  summaryModel,
} from './models.ts';

/** The service's collections, bound to its own connection. */
export interface Store {
  connection: Connection;
  events: EventModel;
  attendances: AttendanceModel;
  feedback: FeedbackModel;
  summaries: SummaryModel;
}

export function createStore(connection: Connection): Store {
  return {
    connection,
    events: eventModel(connection),
    attendances: attendanceModel(connection),
    feedback: feedbackModel(connection),
    summaries: summaryModel(connection),
  };
}

export async function ensureIndexes(store: Store): Promise<void> {
  await ensureModelIndexes([store.events, store.attendances, store.feedback, store.summaries]);
}

/** MongoDB's duplicate-key error (also what mongo-java-server answers). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
