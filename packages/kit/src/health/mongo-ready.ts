import type { Connection } from 'mongoose';

const CONNECTED = 1;

/** Ready when the connection is open and the server answers a ping. Throws saying why not. */
export async function mongoReady(connection: Connection): Promise<true> {
  if (connection.readyState !== CONNECTED) throw new Error(`mongo connection state ${connection.readyState}`);
  const db = connection.db;
  if (!db) throw new Error('mongo connection has no database');
  await db.command({ ping: 1 });
  return true;
}
