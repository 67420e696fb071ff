import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Private signing keys at rest: AES-256-GCM under a key derived from SIGNING_KEY_SECRET, so a copy
 * of the auth database alone cannot mint tokens. Without a secret keys are stored as plain JWKs
 * (fine for development; production configs set the secret).
 */
export function sealPrivateKey(jwk: object, secret: string | undefined): object | string {
  if (!secret) return jwk;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
}

export function openPrivateKey(stored: unknown, secret: string | undefined, kid: string): Record<string, unknown> {
  if (typeof stored !== 'string') {
    if (typeof stored === 'object' && stored !== null) return stored as Record<string, unknown>;
    throw new Error(`signing key ${kid}: unreadable private key`);
  }
  if (!stored.startsWith(PREFIX)) throw new Error(`signing key ${kid}: unknown private key format`);
  if (!secret) throw new Error(`signing key ${kid} is encrypted; set SIGNING_KEY_SECRET`);
  const [iv, tag, body] = stored
    .slice(PREFIX.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error(`signing key ${kid}: corrupt private key`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
  } catch {
    throw new Error(`signing key ${kid} cannot be decrypted with this SIGNING_KEY_SECRET`);
  }
}

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'convene-auth', 'signing-key-encryption', 32));
}
