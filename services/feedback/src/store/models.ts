import { outboxFields } from '@convene/bus';
import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import type { AttendanceStatus } from '../domain/eligibility.ts';
import type { Distribution, SummaryDelta } from '../domain/summary.ts';

// ── projection of events (learned from event.* and registration.* messages) ───────────────────

/** What this service knows of an event: times, hosts, settings. */
export interface EventDoc {
  _id: string;
  title: string;
  host_id: string | null;
  host_email: string;
  host_name: string;
  cohost_ids: string[];
  start_time: Date;
  end_time: Date;
  visibility: 'public' | 'invite_only';
  is_active: boolean;
  requires_check_in: boolean;
  /** A tombstone: the event was deleted; no later message brings it back. */
  deleted: boolean;
  /** Time of the message this state came from; older messages do not overwrite it (epoch: a read-through). */
  seen_at: Date;
}

const EventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, default: '' },
    host_id: { type: String, default: null },
    host_email: { type: String, default: '' },
    host_name: { type: String, default: '' },
    cohost_ids: { type: [String], default: [] },
    start_time: { type: Date, required: true },
    end_time: { type: Date, required: true },
    visibility: { type: String, default: 'public' },
    is_active: { type: Boolean, default: true },
    requires_check_in: { type: Boolean, default: false },
    deleted: { type: Boolean, default: false },
    seen_at: { type: Date, required: true },
  },
  { collection: 'events', versionKey: false },
);
// Lookups are by _id only.

/** One person's registration for one event, as the last message (or the read-through) told it. */
export interface AttendanceDoc {
  /** `<event_id>|<user key>` — the user id, or `email:<address>` for an invitee without an account. */
  _id: string;
  event_id: string;
  user_key: string;
  registration_id: string;
  status: AttendanceStatus;
  checked_in: boolean;
  seen_at: Date;
}

const AttendanceSchema = new Schema<AttendanceDoc>(
  {
    _id: { type: String, required: true },
    event_id: { type: String, required: true },
    user_key: { type: String, required: true },
    registration_id: { type: String, required: true },
    status: { type: String, required: true },
    checked_in: { type: Boolean, default: false },
    seen_at: { type: Date, required: true },
  },
  { collection: 'attendances', versionKey: false },
);
// Forgetting an event's registrations when it is deleted: deleteMany({event_id}).
AttendanceSchema.index({ event_id: 1 });

// ── feedback ─────────────────────────────────────────────────────────────────────────────────

/** A change of this feedback not yet applied to its event's summary (see decision 0050). */
export interface PendingChange {
  /** The feedback version that made the change; the summary records the last version applied per feedback. */
  version: number;
  delta: SummaryDelta;
  at: Date;
}

export interface FeedbackDoc {
  _id: string;
  event_id: string;
  user_id: string;
  user_name: string;
  user_email: string;
  rating: number;
  comment: string;
  created_at: Date;
  updated_at: Date;
  /** 1 on create, +1 on each edit and on the delete. */
  version: number;
  /** Set by a delete whose summary change is still pending; the document goes once it is applied. */
  deleted_at: Date | null;
  pending: PendingChange | null;
  outbox: unknown[];
  outbox_at: Date | null;
}

const FeedbackSchema = new Schema<FeedbackDoc>(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    event_id: { type: String, required: true },
    user_id: { type: String, required: true },
    user_name: { type: String, default: '' },
    user_email: { type: String, default: '' },
    rating: { type: Number, required: true },
    comment: { type: String, default: '' },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
    version: { type: Number, required: true },
    deleted_at: { type: Date, default: null },
    pending: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'feedback', versionKey: false, minimize: false },
);
FeedbackSchema.add(outboxFields);
// One feedback per person per event (a second insert fails with 11000 → 409); also /feedback/mine.
FeedbackSchema.index({ event_id: 1, user_id: 1 }, { unique: true });
// The list, newest first: {event_id, deleted_at: null} sorted by created_at desc, _id desc; and its count.
FeedbackSchema.index({ event_id: 1, deleted_at: 1, created_at: -1, _id: -1 });
// The recovery sweep: {'pending.at': {$lte: cutoff}}.
FeedbackSchema.index({ 'pending.at': 1 });

/** Per event: the counters, and per feedback the last version whose change they include. */
export interface SummaryDoc {
  _id: string;
  count: number;
  sum: number;
  distribution: Partial<Distribution>;
  /** feedback id → last applied version; makes applying a change idempotent. */
  applied: Record<string, number>;
  updated_at: Date;
}

const SummarySchema = new Schema<SummaryDoc>(
  {
    _id: { type: String, required: true },
    count: { type: Number, default: 0 },
    sum: { type: Number, default: 0 },
    distribution: { type: Schema.Types.Mixed, default: () => ({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }) },
    applied: { type: Schema.Types.Mixed, default: () => ({}) },
    updated_at: { type: Date, required: true },
  },
  { collection: 'summaries', versionKey: false, minimize: false },
);
// Lookups are by _id (the event id) only.

export type EventModel = Model<EventDoc>;
export type AttendanceModel = Model<AttendanceDoc>;
export type FeedbackModel = Model<FeedbackDoc>;
export type SummaryModel = Model<SummaryDoc>;

export const eventModel = (connection: Connection): EventModel => modelOn(connection, 'Event', EventSchema);
export const attendanceModel = (connection: Connection): AttendanceModel =>
  modelOn(connection, 'Attendance', AttendanceSchema);
export const feedbackModel = (connection: Connection): FeedbackModel => modelOn(connection, 'Feedback', FeedbackSchema);
export const summaryModel = (connection: Connection): SummaryModel => modelOn(connection, 'Summary', SummarySchema);
