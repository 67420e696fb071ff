import type { z } from 'zod';
import { UserSnapshot } from './common.ts';

/** A person created their own account (self-service registration). */
export const UserRegistered = UserSnapshot;
export type UserRegistered = z.infer<typeof UserRegistered>;
