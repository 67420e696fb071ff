import { z } from 'zod';

/** RFC 9457 problem details, as every Convene error response is shaped. */
export const Problem = z.object({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** Stable machine-readable code, e.g. INVITATION_EXPIRED. */
  code: z.string().optional(),
  /** Validation errors: field path → messages. */
  errors: z.record(z.string(), z.array(z.string())).optional(),
  request_id: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;
