import type { z } from 'zod';
import { Timestamp } from './common.ts';
import { InvitationFacts } from './invitation.sent.ts';

export const InvitationExpired = InvitationFacts.extend({ expired_at: Timestamp });
export type InvitationExpired = z.infer<typeof InvitationExpired>;
