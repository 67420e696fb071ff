import { csvRow } from '@convene/domain-kit';
import { participantsCursor } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * Every participant of an event as CSV (name, email, status, registered_at, checked_in), streamed
 * from a cursor one row at a time; cancelling the stream closes the cursor.
 */
export function exportParticipants(ctx: FlowContext, eventId: string): ReadableStream<Uint8Array> {
  const cursor = participantsCursor(ctx.store, eventId);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(['name', 'email', 'status', 'registered_at', 'checked_in'])));
    },
    async pull(controller) {
      const reg = await cursor.next();
      if (!reg) {
        controller.close();
        return;
      }
      controller.enqueue(
        encoder.encode(
          csvRow([reg.user_name, reg.user_email, reg.status, reg.registered_at.toISOString(), reg.checked_in]),
        ),
      );
    },
    async cancel() {
      await cursor.close();
    },
  });
}
