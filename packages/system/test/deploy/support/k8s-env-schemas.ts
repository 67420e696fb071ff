import { Env as AuthEnv } from '@convene/auth';
import { Env as EventsEnv } from '@convene/events';
import { Env as FeedbackEnv } from '@convene/feedback';
import { Env as GatewayEnv } from '@convene/gateway';
import { Env as InvitationsEnv } from '@convene/invitations';
import { Env as NotifierEnv } from '@convene/notifier';
import type { ServiceName } from './k8s-manifests.ts';

interface ParseResult {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}

/** The part of a zod schema this file reads: its definition tree and safeParse. */
interface SchemaNode {
  _zod: { def: { type: string; out?: SchemaNode; innerType?: SchemaNode; shape?: Record<string, SchemaNode> } };
  safeParse(value: unknown): ParseResult;
}

/** Each service's own Env schema, the one its main.ts parses at boot. */
export const ENV_SCHEMAS: Record<ServiceName, SchemaNode> = {
  gateway: GatewayEnv as unknown as SchemaNode,
  auth: AuthEnv as unknown as SchemaNode,
  events: EventsEnv as unknown as SchemaNode,
  invitations: InvitationsEnv as unknown as SchemaNode,
  feedback: FeedbackEnv as unknown as SchemaNode,
  notifier: NotifierEnv as unknown as SchemaNode,
};

/** The object schema under preprocess pipes and wrappers (auth's Env is a preprocess into an object). */
function objectShape(schema: SchemaNode): Record<string, SchemaNode> {
  let node: SchemaNode | undefined = schema;
  while (node && node._zod.def.type !== 'object') {
    node = node._zod.def.type === 'pipe' ? node._zod.def.out : node._zod.def.innerType;
  }
  const shape = node?._zod.def.shape;
  if (!shape) throw new Error(`no object schema found under a ${schema._zod.def.type}`);
  return shape;
}

/** Variables with neither a default nor optional(): the service does not start without them. */
export function requiredVariables(service: ServiceName): string[] {
  const shape = objectShape(ENV_SCHEMAS[service]);
  return Object.keys(shape).filter((name) => !shape[name]?.safeParse(undefined).success);
}

export function parseEnv(service: ServiceName, env: Record<string, string>): ParseResult {
  return ENV_SCHEMAS[service].safeParse(env);
}

/**
 * Variables a working environment cannot lose: each one removed in turn, the schema refuses what
 * is left. Beyond the schema's required variables this finds the production refusals (a default
 * that production refuses, such as invitations' development link key).
 */
export function indispensableVariables(service: ServiceName, working: Record<string, string>): string[] {
  return Object.keys(working).filter((name) => {
    const { [name]: _removed, ...rest } = working;
    return !parseEnv(service, rest).success;
  });
}

export function issues(result: ParseResult): string {
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}
