import { z } from 'zod';

/**
 * The one envelope every domain event travels in (CloudEvents 1.0 attribute names, JSON mode).
 * `data` is validated separately against the schema its `type` names in the catalogue, so the
 * envelope itself stays generic.
 */
export const Envelope = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  type: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'expected "<aggregate>.<past_tense_verb>"'),
  source: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().min(1),
  correlationid: z.string().optional(),
  causationid: z.string().optional(),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  data: z.unknown(),
});
export type Envelope<D = unknown> = Omit<z.infer<typeof Envelope>, 'data'> & { data: D };
