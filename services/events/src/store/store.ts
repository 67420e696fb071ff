import { ensureIndexes as ensureModelIndexes } from '@convene/kit';
import type { Connection } from 'mongoose';
import { type EventModel, eventModel } from './event-model.ts';
import { type RegistrationModel, registrationModel } from './registration-model.ts';
import {
  type InviteeModel,
  inviteeModel,
  type LeaseModel,
  leaseModel,
  type QuotaModel,
  quotaModel,
} from './support-models.ts';

/** The service's collections, bound to its own connection. */
export interface Store {
  connection: Connection;
  events: EventModel;
  registrations: RegistrationModel;
  quotas: QuotaModel;
  leases: LeaseModel;
  invitees: InviteeModel;
}

export function createStore(connection: Connection): Store {
  return {
    connection,
    events: eventModel(connection),
    registrations: registrationModel(connection),
    quotas: quotaModel(connection),
    leases: leaseModel(connection),
    invitees: inviteeModel(connection),
  };
}

/** Builds every index the queries need (autoIndex also does, but tests and boot want to wait for it). */
export async function ensureIndexes(store: Store): Promise<void> {
  await ensureModelIndexes([store.events, store.registrations, store.quotas, store.leases, store.invitees]);
}
