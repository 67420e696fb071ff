import { ensureIndexes as ensure } from '@convene/kit';
import type { Connection } from 'mongoose';
import { invitationModel } from './invitation-model.ts';
import { projectionModels } from './projection-models.ts';

export type Store = ReturnType<typeof createStore>;

export function createStore(connection: Connection) {
  return { connection, invitations: invitationModel(connection), ...projectionModels(connection) };
}

/** Collections and indexes exist before the service answers (kit's ensureIndexes, the only place they are built). */
export async function ensureIndexes(store: Store): Promise<void> {
  await ensure([store.invitations, store.events, store.participants, store.tokenMisses]);
}
