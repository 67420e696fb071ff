import type { z } from 'zod';
import { UserSnapshot } from './common.ts';

export const UserActivated = UserSnapshot;
export type UserActivated = z.infer<typeof UserActivated>;
