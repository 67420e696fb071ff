import type { z } from 'zod';
import { InvitationSent } from './invitation.sent.ts';

/** Sent once per pending invitation, a configurable lead (48 h) before it expires; carries the link like invitation.sent. */
export const InvitationReminderDue = InvitationSent;
export type InvitationReminderDue = z.infer<typeof InvitationReminderDue>;
