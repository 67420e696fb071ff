import { publishedDeletions, removeEvents } from '../store/maintenance.ts';
import type { FlowContext } from './context.ts';

/** Deleted events whose event.deleted went out are removed for good, with their registrations. */
export async function purgeDeletedEvents(ctx: FlowContext, batch = 100): Promise<number> {
  const rows = await publishedDeletions(ctx.store, batch);
  const ids = rows.filter((r) => r.txns.length === 0).map((r) => r._id);
  if (ids.length === 0) return 0;
  return (await removeEvents(ctx.store, ids)).events;
}
