import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';

/** What invitations knows of an event, from event.* messages (or one internal read on a miss). */
export interface EventProjectionDoc {
  _id: string;
  title: string;
  description: string;
  host_id: string | null;
  host_name: string;
  host_email: string;
  cohost_ids: string[];
  start_time: Date;
  end_time: Date;
  /** IANA zone the event is held in: what its times are shown in to people. */
  timezone: string;
  location: string;
  visibility: 'public' | 'invite_only';
  is_active: boolean;
  deleted: boolean;
  /** Time of the message (or read) this state comes from: an older message never overwrites it. */
  as_of: Date;
}

/** The part of the projection an invitation.* message names the event by. */
export type EventFacts = Pick<EventProjectionDoc, 'title' | 'start_time' | 'end_time' | 'timezone'>;

/** Who holds or waits for a seat, from registration.* messages: "already a participant" checks. */
export interface ParticipantDoc {
  /** `<event>|<user id or email:address>` */
  _id: string;
  event_id: string;
  key: string;
  active: boolean;
  as_of: Date;
}

/** Unknown tokens one client tried in one window (public token endpoints). */
export interface TokenMissDoc {
  /** `<client>|<window start ms>` */
  _id: string;
  count: number;
  window_start: Date;
}

const eventSchema = new Schema<EventProjectionDoc>(
  {
    _id: { type: String, required: true },
    title: String,
    description: String,
    host_id: { type: String, default: null },
    host_name: String,
    host_email: String,
    cohost_ids: { type: [String], default: [] },
    start_time: Date,
    end_time: Date,
    // A projection stored before events had a zone reads as UTC, as their messages do.
    timezone: { type: String, default: 'UTC' },
    location: String,
    visibility: String,
    is_active: Boolean,
    deleted: { type: Boolean, default: false },
    as_of: { type: Date, required: true },
  },
  { versionKey: false, collection: 'event_projections' },
);
// Read by _id only (permission checks, message facts).

const participantSchema = new Schema<ParticipantDoc>(
  {
    _id: { type: String, required: true },
    event_id: String,
    key: String,
    active: Boolean,
    as_of: { type: Date, required: true },
  },
  { versionKey: false, collection: 'participants' },
);
// Read by _id only (send: find({_id: {$in: keys}})).

const tokenMissSchema = new Schema<TokenMissDoc>(
  {
    _id: { type: String, required: true },
    count: { type: Number, default: 0 },
    window_start: { type: Date, required: true },
  },
  { versionKey: false, collection: 'token_misses' },
);
// the sweeper: deleteMany({window_start: {$lt: cutoff}})
tokenMissSchema.index({ window_start: 1 });

export function projectionModels(connection: Connection) {
  return {
    events: modelOn(connection, 'EventProjection', eventSchema),
    participants: modelOn(connection, 'Participant', participantSchema),
    tokenMisses: modelOn(connection, 'TokenMiss', tokenMissSchema),
  };
}

export type EventProjectionModel = Model<EventProjectionDoc>;
