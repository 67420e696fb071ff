import { forbidden, validationError } from '@convene/kit';
import type { RegistrationStatus } from '../domain/registration-states.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { listParticipants as participantPage } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

export const participantStatusChoices = ['confirmed', 'waitlisted', 'offered', 'cancelled', 'all'] as const;

function statusesFrom(raw: string | undefined, manager: boolean): RegistrationStatus[] {
  if (!raw) return ['confirmed'];
  if (!(participantStatusChoices as readonly string[]).includes(raw)) {
    throw validationError({
      status: [`Select a valid choice. ${raw} is not one of: ${participantStatusChoices.join(', ')}.`],
    });
  }
  if (!manager && raw !== 'confirmed')
    throw forbidden('Only the host or a co-host can see the waitlist and cancellations.');
  return raw === 'all' ? ['confirmed', 'offered', 'waitlisted', 'cancelled'] : [raw as RegistrationStatus];
}

/**
 * A page of an event's participants: confirmed ones for everyone; the host and co-hosts
 * (`manager`) may ask for another status. The waitlist comes in line order, so each one's place
 * is their rank on the page.
 */
export async function listParticipants<P extends { skip: number; limit: number }>(
  ctx: FlowContext,
  {
    eventId,
    status,
    manager,
    page: pageOf,
  }: {
    eventId: string;
    status: string | undefined;
    manager: boolean;
    /** The page asked for, read once the status has been judged (its errors come first). */
    page: () => P;
  },
): Promise<{
  count: number;
  page: P;
  results: Array<{ registration: RegistrationDoc; position: number | undefined }>;
}> {
  const statuses = statusesFrom(status, manager);
  const page = pageOf();
  const found = await participantPage(ctx.store, eventId, statuses, page);
  const inLine = statuses.length === 1 && statuses[0] === 'waitlisted';
  return {
    count: found.count,
    page,
    results: found.results.map((registration, i) => ({
      registration,
      position: inLine ? page.skip + i + 1 : undefined,
    })),
  };
}
