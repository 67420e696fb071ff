import type { Connection } from 'mongoose';

/** What one collection has waiting in its documents' outboxes. */
export interface CollectionBacklog {
  collection: string;
  /** Envelopes written but not yet confirmed by the broker. */
  envelopes: number;
  /** Documents holding them. */
  documents: number;
  /** Of those, documents a relay holds right now (their outbox_at is a lease end in the future). */
  leased: number;
  /** The `time` of the oldest waiting envelope. */
  oldest: Date | null;
}

export interface DatabaseBacklog {
  envelopes: number;
  documents: number;
  leased: number;
  oldest: Date | null;
  collections: CollectionBacklog[];
}

interface OutboxDocument {
  outbox?: Array<{ time?: unknown }>;
  outbox_at?: Date | null;
}

/**
 * The outbox backlog of one service's database, read the way the relay finds work: every
 * document whose `outbox_at` is set holds unpublished envelopes (see outbox-fields in the bus).
 * An operator's reading, over every collection, so an aggregate added later is counted too.
 */
export async function outboxBacklog(connection: Connection, now: Date = new Date()): Promise<DatabaseBacklog> {
  const db = connection.db;
  if (!db) throw new Error('not connected');
  const total: DatabaseBacklog = { envelopes: 0, documents: 0, leased: 0, oldest: null, collections: [] };
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    if (name.startsWith('system.')) continue;
    const backlog: CollectionBacklog = { collection: name, envelopes: 0, documents: 0, leased: 0, oldest: null };
    const cursor = db
      .collection<OutboxDocument>(name)
      .find({ outbox_at: { $ne: null } }, { projection: { outbox: 1, outbox_at: 1 } });
    for await (const doc of cursor) {
      const outbox = Array.isArray(doc.outbox) ? doc.outbox : [];
      if (outbox.length === 0) continue;
      backlog.documents++;
      backlog.envelopes += outbox.length;
      if (doc.outbox_at instanceof Date && doc.outbox_at > now) backlog.leased++;
      for (const envelope of outbox) {
        const time = typeof envelope.time === 'string' ? new Date(envelope.time) : null;
        if (time && !Number.isNaN(time.getTime()) && (!backlog.oldest || time < backlog.oldest)) backlog.oldest = time;
      }
    }
    if (backlog.documents === 0) continue;
    total.collections.push(backlog);
    total.envelopes += backlog.envelopes;
    total.documents += backlog.documents;
    total.leased += backlog.leased;
    if (backlog.oldest && (!total.oldest || backlog.oldest < total.oldest)) total.oldest = backlog.oldest;
  }
  return total;
}

/** 3d 4h, 12m 5s, 40s: how old, at a glance. */
export function ageOf(since: Date, now: Date): string {
  let seconds = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (seconds >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
