import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logging/create-logger.ts';

export interface ConnectMongoOptions {
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  serverSelectionTimeoutMS?: number;
}

/** Opens a connection of the service's own (no global mongoose state) and resolves once it is up. */
export async function connectMongo(
  url: string,
  { logger, serverSelectionTimeoutMS = 5_000 }: ConnectMongoOptions = {},
): Promise<Connection> {
  // Collections and indexes are built by `ensureIndexes` at boot, where a failure is retried and
  // reported, rather than by mongoose in the background on first use.
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS, autoIndex: false, autoCreate: false });
  connection.on('disconnected', () => logger?.warn('mongo disconnected'));
  connection.on('reconnected', () => logger?.info('mongo reconnected'));
  connection.on('error', (err) => logger?.error({ err }, 'mongo connection error'));
  await connection.asPromise();
  logger?.info({ db: connection.name }, 'mongo connected');
  return connection;
}
