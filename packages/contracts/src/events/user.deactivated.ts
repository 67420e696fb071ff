import type { z } from 'zod';
import { UserSnapshot } from './common.ts';

/** The account can no longer log in; its refresh tokens are already revoked when this is sent. */
export const UserDeactivated = UserSnapshot;
export type UserDeactivated = z.infer<typeof UserDeactivated>;
