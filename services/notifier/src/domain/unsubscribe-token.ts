import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One-click unsubscribe links carry `<email>.<category>.<signature>` in base64url, signed with a
 * secret of the notifier, so the link works without signing in and cannot be forged for someone else.
 */
export function unsubscribeToken(secret: string, email: string, category: string): string {
  const payload = Buffer.from(JSON.stringify([email, category])).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function readUnsubscribeToken(secret: string, token: string): { email: string; category: string } | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [email, category] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    if (typeof email !== 'string' || typeof category !== 'string') return null;
    return { email, category };
  } catch {
    return null;
  }
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
