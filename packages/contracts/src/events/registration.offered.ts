import type { z } from 'zod';
import { Timestamp } from './common.ts';
import { RegistrationFacts } from './registration.confirmed.ts';

/** Offer-mode events: a freed seat is held for this waitlisted attendee until `offer_expires_at`. */
export const RegistrationOffered = RegistrationFacts.extend({ offer_expires_at: Timestamp });
export type RegistrationOffered = z.infer<typeof RegistrationOffered>;
