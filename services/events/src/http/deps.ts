import type { AuthUser } from '@convene/kit';
import type { Context } from 'hono';
import type { FlowContext } from '../flows/context.ts';
import type { Causes } from '../store/announcements.ts';

export interface HttpDeps {
  flows: FlowContext;
  /** The organizer address calendar files show to readers who may not see the host's. */
  calendarContactEmail: string;
}

/** Messages caused by a request carry its request id as correlation id. */
export function causesOf(c: Context): Causes {
  const requestId = c.get('requestId') as string | undefined;
  return requestId ? { correlationid: requestId } : {};
}

/** The signed-in caller, if any (routes that need one call kit's requireUser). */
export function userOf(c: Context): AuthUser | undefined {
  return c.get('user') as AuthUser | undefined;
}
