import { type Causes, causedByRequest } from '@convene/domain-kit';
import type { AuthUser } from '@convene/kit';
import type { Context } from 'hono';
import type { FlowContext } from '../flows/context.ts';

export interface HttpDeps {
  flows: FlowContext;
  /** The organizer address calendar files show to readers who may not see the host's. */
  calendarContactEmail: string;
}

/** Messages a request writes carry its request id as their correlation id. */
export function causesOf(c: Context): Causes {
  return causedByRequest(c.get('requestId') as string | undefined);
}

/** The signed-in caller, if any (routes that need one call kit's requireUser). */
export function userOf(c: Context): AuthUser | undefined {
  return c.get('user') as AuthUser | undefined;
}
