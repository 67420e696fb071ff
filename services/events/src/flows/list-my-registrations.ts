import { viewerKeys } from '../domain/identity.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { type MyScope, listMyRegistrations as myRegistrationPage } from '../store/registration-queries.ts';
import { positionsOf } from '../store/waitlist-positions.ts';
import type { Actor, FlowContext } from './context.ts';

/**
 * /my-registrations (all, active, past): a page of the user's registrations under either of their
 * keys, each with its event and, when waitlisted, the place in line (one query for the page).
 */
export async function listMyRegistrations(
  ctx: FlowContext,
  { user, scope, page }: { user: Pick<Actor, 'id' | 'email'>; scope: MyScope; page: { skip: number; limit: number } },
): Promise<{
  count: number;
  results: Array<{ registration: RegistrationDoc; event: EventDoc | null; position: number | undefined }>;
}> {
  const found = await myRegistrationPage(ctx.store, viewerKeys(user), scope, page, ctx.now());
  const positions = await positionsOf(
    ctx.store,
    found.results.map((r) => r.registration),
  );
  return { count: found.count, results: found.results.map((r, i) => ({ ...r, position: positions[i] })) };
}
