import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  catalogue,
  dataschemaOf,
  type EventData,
  type EventDataInput,
  type EventName,
  isEventName,
} from './catalogue.ts';
import { Envelope } from './envelope.ts';
import { currentEnvelopeTrace } from './envelope-trace.ts';

export { type EnvelopeTrace, traceEnvelopesWith } from './envelope-trace.ts';

export type DomainEvent<N extends EventName = EventName> = N extends EventName
  ? Envelope<EventData<N>> & { type: N }
  : never;

export interface NewEnvelope<N extends EventName> {
  type: N;
  source: string;
  subject: string;
  data: EventDataInput<N>;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  tracestate?: string;
  /** Fixed ids make a re-run of the same business step produce the same envelope. */
  id?: string;
  time?: Date;
}

/** Builds an envelope, checking `data` against the catalogue (throws ZodError if it does not fit). */
export function envelope<N extends EventName>(input: NewEnvelope<N>): DomainEvent<N> {
  const data = catalogue[input.type].schema.parse(input.data);
  const trace = input.traceparent ? input : currentEnvelopeTrace();
  const built = {
    specversion: '1.0' as const,
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    subject: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    dataschema: dataschemaOf(input.type),
    ...(input.correlationid ? { correlationid: input.correlationid } : {}),
    ...(input.causationid ? { causationid: input.causationid } : {}),
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
    data,
  };
  return built as unknown as DomainEvent<N>;
}

export class EnvelopeError extends Error {
  readonly code = 'INVALID_ENVELOPE';
  readonly issues: z.core.$ZodIssue[];
  constructor(message: string, issues: z.core.$ZodIssue[] = []) {
    super(message);
    this.name = 'EnvelopeError';
    this.issues = issues;
  }
}

/** Validates an incoming envelope and its data. Unknown types and bad data throw EnvelopeError. */
export function parseEnvelope(raw: unknown): DomainEvent {
  const outer = Envelope.safeParse(raw);
  if (!outer.success) throw new EnvelopeError(`envelope: ${z.prettifyError(outer.error)}`, outer.error.issues);
  const { type } = outer.data;
  if (!isEventName(type)) throw new EnvelopeError(`unknown event type "${type}"`);
  const data = catalogue[type].schema.safeParse(outer.data.data);
  if (!data.success) throw new EnvelopeError(`${type} data: ${z.prettifyError(data.error)}`, data.error.issues);
  return { ...outer.data, data: data.data } as DomainEvent;
}
