import { AppError, badRequest, conflict, notFound, tooManyRequests } from '@convene/kit';
import type { QuotaPolicy } from './domain/creation-quota.ts';
import { Messages } from './domain/messages.ts';

/** Every error code this service answers with, in one place (clients may rely on them). */
export const Code = {
  EVENT_NOT_FOUND: 'EVENT_NOT_FOUND',
  EVENT_QUOTA_EXCEEDED: 'EVENT_QUOTA_EXCEEDED',
  ALREADY_REGISTERED: 'ALREADY_REGISTERED',
  EVENT_FULL: 'EVENT_FULL',
  EVENT_PAST: 'EVENT_PAST',
  EVENT_INACTIVE: 'EVENT_INACTIVE',
  NO_OFFER: 'NO_OFFER',
  OFFER_EXPIRED: 'OFFER_EXPIRED',
  NOT_REGISTERED: 'NOT_REGISTERED',
  NOT_WAITLISTED: 'NOT_WAITLISTED',
  REGISTRATION_BUSY: 'REGISTRATION_BUSY',
  REGISTRATION_NOT_FOUND: 'REGISTRATION_NOT_FOUND',
  NOT_CONFIRMED: 'NOT_CONFIRMED',
} as const;

export const eventNotFound = () => notFound(Messages.eventNotFound, Code.EVENT_NOT_FOUND);
export const registrationNotFound = () => notFound(Messages.registrationNotFound, Code.REGISTRATION_NOT_FOUND);
export const notConfirmed = () => new AppError(400, Code.NOT_CONFIRMED, Messages.notConfirmed);
export const registrationBusy = () => conflict(Messages.busy, Code.REGISTRATION_BUSY);

export function quotaExceeded(retryAfterSec: number, quota: QuotaPolicy): AppError {
  return tooManyRequests(
    retryAfterSec,
    `You can create at most ${quota.limit} events per ${Math.round(quota.windowMs / 3_600_000)} hours. Expected available in ${retryAfterSec} seconds.`,
    Code.EVENT_QUOTA_EXCEEDED,
  );
}

/** Why a registration request was refused (register, unregister, leave the waitlist, accept an offer). */
export type RegistrationRefusal =
  | 'already'
  | 'full'
  | 'past'
  | 'inactive'
  | 'gone'
  | 'busy'
  | 'no_offer'
  | 'expired'
  | 'not_registered'
  | 'not_waitlisted'
  | 'too_late_to_unregister';

/** A refused registration request → the answer clients expect (the legacy events API's messages where it has them). */
export function refusal(reason: RegistrationRefusal): AppError {
  switch (reason) {
    case 'already':
      return badRequest(Messages.alreadyRegistered, Code.ALREADY_REGISTERED);
    case 'full':
      return badRequest(Messages.eventFull, Code.EVENT_FULL);
    case 'past':
      return badRequest(Messages.pastEvent, Code.EVENT_PAST);
    case 'inactive':
      return badRequest(Messages.inactiveEvent, Code.EVENT_INACTIVE);
    case 'gone':
      return eventNotFound();
    case 'busy':
      return registrationBusy();
    case 'no_offer':
      return badRequest(Messages.noOffer, Code.NO_OFFER);
    case 'expired':
      return badRequest(Messages.offerExpired, Code.OFFER_EXPIRED);
    case 'not_registered':
      return badRequest(Messages.notRegistered, Code.NOT_REGISTERED);
    case 'not_waitlisted':
      return badRequest(Messages.notWaitlisted, Code.NOT_WAITLISTED);
    case 'too_late_to_unregister':
      return badRequest(Messages.unregisterPast, Code.EVENT_PAST);
    default:
      return unreachable(reason);
  }
}

function unreachable(reason: never): never {
  throw new Error(`unhandled registration refusal ${String(reason)}`);
}

/** Thrown when another move of the same registration is in flight: the bus retries the message later. */
export class RegistrationBusy extends Error {
  override readonly name = 'RegistrationBusy';
}
