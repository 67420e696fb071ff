import { Readable } from 'node:stream';
import { csvSafe, formatInstant } from '@convene/domain-kit';
import { stringify } from 'csv-stringify';
import { effectiveStatus } from '../domain/invitation-rules.ts';
import { invitationsForExport } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findManagedEvent } from './find-managed-event.ts';

const COLUMNS = [
  'id',
  'email',
  'full_name',
  'role',
  'status',
  'reservation',
  'is_vip',
  'bypass_capacity',
  'expires_at',
  'responded_at',
  'resend_count',
  'created_at',
  'sent',
  'expires',
  'answered',
] as const;

/**
 * GET /api/events/{id}/invitations.csv: streamed from a cursor, one row at a time (hosts, co-hosts).
 * The ISO 8601 UTC columns (expires_at, responded_at, created_at) are for programs and keep their
 * places; the human ones after them (sent, expires, answered) say the same instants in the event's
 * zone, as the host planned it ("Sun, 29 Mar 2026, 03:30 EEST").
 */
export async function exportInvitationsAsCsv(ctx: FlowContext, eventId: string, actor: Actor): Promise<Readable> {
  const { timezone } = await findManagedEvent(ctx, eventId, actor);
  const human = (at: Date | null) => (at ? formatInstant(at, timezone) : '');
  const now = ctx.now();
  const cursor = invitationsForExport(ctx.store, eventId);
  const rows = Readable.from(
    (async function* rowsOf() {
      for await (const inv of cursor) {
        yield [
          inv._id,
          csvSafe(inv.email),
          csvSafe(inv.full_name),
          inv.role,
          effectiveStatus(inv, now),
          inv.reservation ?? '',
          String(inv.is_vip),
          String(inv.bypass_capacity),
          inv.expires_at.toISOString(),
          inv.responded_at?.toISOString() ?? '',
          String(inv.resend_count),
          inv.created_at.toISOString(),
          human(inv.created_at),
          human(inv.expires_at),
          human(inv.responded_at),
        ];
      }
    })(),
  );
  return rows.pipe(stringify({ header: true, columns: [...COLUMNS] }));
}
