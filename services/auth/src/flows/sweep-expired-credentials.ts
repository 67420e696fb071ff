import type { FlowContext } from './context.ts';

export interface Swept {
  tokens: number;
  windows: number;
  retiredKeys: string[];
}

/**
 * What TTL indexes would do on a full MongoDB (they are outside the portable subset): delete
 * expired refresh tokens, sessions and consumed-token records, finished login-failure windows,
 * and signing keys no token can need any more.
 */
export async function sweepExpiredCredentials(
  ctx: Pick<FlowContext, 'sessions' | 'failures' | 'keys' | 'now'>,
): Promise<Swept> {
  const at = ctx.now();
  const [tokens, windows, retiredKeys] = await Promise.all([
    ctx.sessions.sweep(at),
    ctx.failures.sweep(at),
    ctx.keys.prune(),
  ]);
  return { tokens, windows, retiredKeys };
}
