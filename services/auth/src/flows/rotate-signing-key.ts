import type { FlowContext } from './context.ts';

/**
 * An admin adds a signing key now: published at once, signing after `activateInMs`, so verifiers
 * that cache the key set learn it before any token carries its kid.
 */
export function rotateSigningKey(
  ctx: Pick<FlowContext, 'keys'>,
  { activateInMs }: { activateInMs: number },
): Promise<{ kid: string; activates_at: Date }> {
  return ctx.keys.rotate({ activateInMs });
}
