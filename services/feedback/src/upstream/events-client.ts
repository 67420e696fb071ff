import { EventSnapshot } from '@convene/contracts';
import { z } from 'zod';

/** What events answers on GET /internal/events/:id/registrations/:userId. */
const RegistrationRead = z.object({
  event: EventSnapshot,
  registration: z
    .object({
      registration_id: z.string(),
      user_id: z.string().nullable(),
      status: z.string(),
      checked_in: z.boolean(),
    })
    .nullable(),
});
export type RegistrationRead = z.infer<typeof RegistrationRead>;

const EventRead = z.object({ event: EventSnapshot });

export class EventsUnavailableError extends Error {
  override readonly name = 'EventsUnavailableError';
}

export interface EventsClient {
  /** The event and the user's registration; null when events does not know the event. */
  registration(eventId: string, userId: string): Promise<RegistrationRead | null>;
  /** The event; null when events does not know it. */
  event(eventId: string): Promise<EventSnapshot | null>;
}

/**
 * The read-through to the events service for a projection miss (a message still in flight).
 * Service to service, on its /internal routes, which the gateway never exposes.
 */
export function eventsClient({ baseUrl, timeoutMs }: { baseUrl: string; timeoutMs: number }): EventsClient {
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T | null> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new EventsUnavailableError(`events unreachable: ${(err as Error).message}`, { cause: err });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new EventsUnavailableError(`events answered ${response.status} for ${path}`);
    }
    return schema.parse(await response.json());
  };
  return {
    registration: (eventId, userId) =>
      get(
        `/internal/events/${encodeURIComponent(eventId)}/registrations/${encodeURIComponent(userId)}`,
        RegistrationRead,
      ),
    event: async (eventId) => (await get(`/internal/events/${encodeURIComponent(eventId)}`, EventRead))?.event ?? null,
  };
}
