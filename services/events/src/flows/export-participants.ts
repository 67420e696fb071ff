import { csvRow, formatInstant } from '@convene/domain-kit';
import { eventTimeZone } from '../domain/event-zone.ts';
import type { EventDoc } from '../store/event-model.ts';
import { participantsCursor } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

/** The export's columns: the machine-readable ones first (as they always were), then the same times for people. */
export const participantColumns = [
  'name',
  'email',
  'status',
  'registered_at',
  'checked_in',
  'checked_in_at',
  'registered_at_local',
  'checked_in_at_local',
] as const;

/**
 * Every participant of an event as CSV, streamed from a cursor one row at a time; cancelling the
 * stream closes the cursor. `registered_at` and `checked_in_at` are ISO 8601 UTC for programs;
 * the `_local` columns are the same instants for a person reading the sheet, in the event's zone
 * with its abbreviation ("Thu, 10 Dec 2026, 19:23 EET").
 */
export function exportParticipants(
  ctx: FlowContext,
  event: Pick<EventDoc, '_id' | 'timezone'>,
): ReadableStream<Uint8Array> {
  const zone = eventTimeZone(event, ctx.defaultTimeZone);
  const cursor = participantsCursor(ctx.store, event._id);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow([...participantColumns])));
    },
    async pull(controller) {
      const reg = await cursor.next();
      if (!reg) {
        controller.close();
        return;
      }
      controller.enqueue(
        encoder.encode(
          csvRow([
            reg.user_name,
            reg.user_email,
            reg.status,
            reg.registered_at.toISOString(),
            reg.checked_in,
            reg.checked_in_at ? reg.checked_in_at.toISOString() : '',
            formatInstant(reg.registered_at, zone),
            reg.checked_in_at ? formatInstant(reg.checked_in_at, zone) : '',
          ]),
        ),
      );
    },
    async cancel() {
      await cursor.close();
    },
  });
}
