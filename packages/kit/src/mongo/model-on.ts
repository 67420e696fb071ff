import type { Connection, Model, Schema } from 'mongoose';

/**
 * The model `name` on this connection, compiled from `schema` the first time: each service (and
 * each test) has its own connection, so models are never taken from mongoose's global registry.
 */
export function modelOn<T, M extends Model<T> = Model<T>>(connection: Connection, name: string, schema: Schema<T>): M {
  return (connection.models[name] ?? connection.model<T>(name, schema)) as M;
}
