import { type Causes, causedByRequest } from '@convene/domain-kit';
import { requireUser } from '@convene/kit';
import type { Context } from 'hono';
import type { Actor, FlowContext } from '../flows/context.ts';

/** What the routes work with: the flows' context (they call flows, never the store). */
export interface HttpDeps {
  flows: FlowContext;
}

/** Messages caused by a request carry its request id as correlation id. */
export function causesOf(c: Context): Causes {
  return causedByRequest(c.get('requestId') as string | undefined);
}

export function actorOf(c: Context): Actor {
  const user = requireUser(c);
  return { id: user.id, email: user.email, name: user.name, username: user.username };
}

/**
 * Who is calling, for the per-client limits of the public token endpoints: the last
 * X-Forwarded-For entry (the one the gateway appended: the peer it saw), else the peer itself.
 */
export function clientOf(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  if (last) return last;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
