import { z } from 'zod';
import { InvitationSent } from './invitation.sent.ts';

export const InvitationResent = InvitationSent.extend({ resend_count: z.number().int().positive() });
export type InvitationResent = z.infer<typeof InvitationResent>;
