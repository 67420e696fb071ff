import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * How a secret token (an invitation link's) travels in a message without being readable by whoever
 * can read the broker or the sender's outbox: AES-256-GCM with a 32-byte key the sender and the
 * reader share, bound to the aggregate id (additional data) so a sealed token cannot be moved to
 * another invitation. Format: `v1.<iv>.<ciphertext>.<tag>`, base64url parts.
 */
export function sealToken(token: string, key: Buffer, boundTo: string): string {
  if (key.length !== 32) throw new Error('a sealing key is 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return ['v1', iv, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The token inside `sealed`; throws when it was sealed with another key, for another id, or altered. */
export function openSealedToken(sealed: string, key: Buffer, boundTo: string): string {
  const [version, iv, ciphertext, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !ciphertext || !tag) throw new Error('not a sealed token');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** A sealing key from its configured form: 32 bytes as base64 or base64url (`openssl rand -base64 32`). */
export function sealingKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('INVITATION_LINK_KEY must be 32 bytes, base64-encoded');
  return key;
}
