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
