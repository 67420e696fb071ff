import type { AuthUser } from '@convene/kit';
import type { Context } from 'hono';
import { eventsUnavailable } from '../errors.ts';
import type { Actor, FlowContext } from '../flows/context.ts';
import { EventsUnavailableError } from '../upstream/events-client.ts';

export interface HttpDeps {
  flows: FlowContext;
}

export function actorOf(user: AuthUser): Actor {
  return { id: user.id, email: user.email, name: user.name || user.username };
}

export function readerOf(c: Context): Actor | undefined {
  const user = c.get('user') as AuthUser | undefined;
  return user ? actorOf(user) : undefined;
}

/** The read-through to events failed: 503, the client may try again. */
export async function withEvents<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EventsUnavailableError) throw eventsUnavailable();
    throw err;
  }
}
