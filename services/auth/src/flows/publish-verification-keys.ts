import type { JSONWebKeySet } from 'jose';
import type { FlowContext } from './context.ts';

/** The public keys that verify access tokens: current, pre-published and recently retired. */
export function publishVerificationKeys(ctx: Pick<FlowContext, 'keys'>): Promise<JSONWebKeySet> {
  return ctx.keys.jwks();
}
