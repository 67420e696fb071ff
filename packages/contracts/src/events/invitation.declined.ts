import type { z } from 'zod';
import { Timestamp } from './common.ts';
import { InvitationFacts } from './invitation.sent.ts';

export const InvitationDeclined = InvitationFacts.extend({ declined_at: Timestamp });
export type InvitationDeclined = z.infer<typeof InvitationDeclined>;
