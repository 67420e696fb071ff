import { describe, expect, it } from 'vitest';
import { openPrivateKey, sealPrivateKey } from './key-encryption.ts';

const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'public', d: 'very-private' };
const secret = 'a-signing-key-secret-of-32-characters!';

describe('private signing keys at rest', () => {
  it('are encrypted with the secret and open with it', () => {
    const sealed = sealPrivateKey(jwk, secret);
    expect(typeof sealed).toBe('string');
    expect(sealed as string).not.toContain('very-private');
    expect(openPrivateKey(sealed, secret, 'k')).toEqual(jwk);
  });

  it('do not open with another secret, nor without one', () => {
    const sealed = sealPrivateKey(jwk, secret);
    expect(() => openPrivateKey(sealed, `${secret}x`, 'k')).toThrow(/cannot be decrypted/);
    expect(() => openPrivateKey(sealed, undefined, 'k')).toThrow(/set SIGNING_KEY_SECRET/);
  });

  it('stay plain JWKs when no secret is configured', () => {
    expect(sealPrivateKey(jwk, undefined)).toEqual(jwk);
    expect(openPrivateKey(jwk, undefined, 'k')).toEqual(jwk);
  });
});
