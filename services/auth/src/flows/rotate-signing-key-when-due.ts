import type { FlowContext } from './context.ts';

/**
 * The scheduled rotation: once the newest key is `maxAgeMs` old a new one is added (published
 * first, signing after `prepublishMs`). Every replica may run this; the unique generation index
 * lets exactly one of them rotate. True when this call rotated.
 */
export function rotateSigningKeyWhenDue(
  ctx: Pick<FlowContext, 'keys'>,
  { maxAgeMs, prepublishMs }: { maxAgeMs: number; prepublishMs: number },
): Promise<boolean> {
  return ctx.keys.rotateIfDue(maxAgeMs, prepublishMs);
}
