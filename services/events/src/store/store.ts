import { ensureIndexes as ensureModelIndexes, type Leases, leasesOn } from '@convene/kit';
import type { Connection, mongo } from 'mongoose';
import { type EventDoc, type EventModel, eventModel } from './event-model.ts';
import { type RegistrationDoc, type RegistrationModel, registrationModel } from './registration-model.ts';
import { type InviteeModel, inviteeModel, type QuotaModel, quotaModel } from './support-models.ts';

/** The service's collections, bound to its own connection, and the job leases (collection `leases`). */
export interface Store {
  connection: Connection;
  events: EventModel;
  registrations: RegistrationModel;
  quotas: QuotaModel;
  invitees: InviteeModel;
  leases: Leases;
  /**
   * The zone of an event stored without one (created before events had zones): every view and
   * message reads it as this (DEFAULT_EVENT_TIMEZONE).
   */
  defaultTimeZone: string;
}

export function createStore(
  connection: Connection,
  { now, defaultTimeZone = 'UTC' }: { now: () => Date; defaultTimeZone?: string },
): Store {
  return {
    connection,
    defaultTimeZone,
    events: eventModel(connection),
    registrations: registrationModel(connection),
    quotas: quotaModel(connection),
    invitees: inviteeModel(connection),
    leases: leasesOn(connection, { collection: 'leases', now }),
  };
}

/** Builds every index the queries need (autoIndex also does, but tests and boot want to wait for it). */
export async function ensureIndexes(store: Store): Promise<void> {
  await ensureModelIndexes([store.events, store.registrations, store.quotas, store.invitees]);
}

/**
 * The driver's collections under the models, typed by their documents: the hot paths (a
 * registration's move, the event read) use them and skip mongoose's query building, casting and
 * document construction. What they write must be what the schema would have (ids are strings,
 * times Dates, every default explicit).
 */
export function eventsCollection(store: Store): mongo.Collection<EventDoc> {
  return store.events.collection as unknown as mongo.Collection<EventDoc>;
}

export function registrationsCollection(store: Store): mongo.Collection<RegistrationDoc> {
  return store.registrations.collection as unknown as mongo.Collection<RegistrationDoc>;
}
