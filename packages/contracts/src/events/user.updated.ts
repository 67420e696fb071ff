import { z } from 'zod';
import { UserSnapshot } from './common.ts';

/** Profile, role or status changed; `changed` names the fields so projections can skip no-ops. */
export const UserUpdated = UserSnapshot.extend({ changed: z.array(z.string()) });
export type UserUpdated = z.infer<typeof UserUpdated>;
