import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { activeKey, expiredKeys, publishedKeys, type RotationWindow, rotationDue } from '../domain/key-rotation.ts';
import type { SigningKeyDoc, SigningKeyStore } from '../store/signing-keys.ts';
import { openPrivateKey, sealPrivateKey } from './key-encryption.ts';

export const SIGNING_ALG = 'EdDSA';

export interface KeyRingOptions {
  store: SigningKeyStore;
  window: RotationWindow;
  /** Encrypts private keys at rest when set. */
  secret?: string | undefined;
  /** How stale the in-memory copy may get before the next use reloads it (other replicas rotate too). */
  refreshMs?: number;
  /** The service clock: which key is active, published or retired. */
  now: () => Date;
}

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

interface LoadedKey {
  doc: SigningKeyDoc;
  kid: string;
  generation: number;
  activates_at: Date;
  publicJwk: JWK;
}

/**
 * The signing keys, shared by every replica through the auth database. Verification inside auth
 * uses the same published set the JWKS endpoint serves, so auth accepts exactly what others do.
 */
export class KeyRing {
  readonly #store: SigningKeyStore;
  readonly #window: RotationWindow;
  readonly #secret: string | undefined;
  readonly #refreshMs: number;
  readonly #now: () => Date;
  readonly #imported = new Map<string, Promise<CryptoKey>>();
  readonly #importedPublic = new Map<string, Promise<CryptoKey>>();
  #keys: LoadedKey[] = [];
  #loadedAt = 0;
  #loading: Promise<void> | null = null;

  constructor({ store, window, secret, refreshMs = 30_000, now }: KeyRingOptions) {
    this.#store = store;
    this.#window = window;
    this.#secret = secret;
    this.#refreshMs = refreshMs;
    this.#now = now;
  }

  /** Loads the keys, creating the first one when the database has none. */
  async start(): Promise<void> {
    // Replicas booting together on an empty database: one inserts the first key, the others
    // lose the generation race, reload, and use it.
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.reload();
      if (activeKey(this.#keys, this.#now()) || (await this.#insertNext(0))) break;
    }
    // Fail at boot, not on the first login, when the secret cannot open the current key.
    await this.signingKey();
  }

  /** Reads the key set now. Always a fresh read: one already in flight may predate a write of ours. */
  async reload(): Promise<void> {
    const previous = this.#loading;
    const next = (async () => {
      await previous?.catch(() => {});
      const docs = await this.#store.all();
      this.#keys = docs.map((doc) => ({
        doc,
        kid: doc._id,
        generation: doc.generation,
        activates_at: doc.activates_at,
        publicJwk: doc.public_jwk as JWK,
      }));
      // The copy's age is real time, not the service clock: it measures how stale this cache is.
      this.#loadedAt = Date.now();
    })();
    this.#loading = next;
    try {
      await next;
    } finally {
      if (this.#loading === next) this.#loading = null;
    }
  }

  /** Reloads when the copy is older than refreshMs; concurrent callers share one read. */
  async #fresh(): Promise<void> {
    if (this.#loading) return this.#loading.catch(() => this.reload());
    if (Date.now() - this.#loadedAt >= this.#refreshMs) await this.reload();
  }

  async signingKey(): Promise<SigningKey> {
    await this.#fresh();
    const current = activeKey(this.#keys, this.#now());
    if (!current) throw new Error('no active signing key');
    return { kid: current.kid, key: await this.#privateKey(current) };
  }

  /** The public keys verifiers may need right now (pending, current and not yet retired ones). */
  async jwks(): Promise<JSONWebKeySet> {
    await this.#fresh();
    return {
      keys: publishedKeys(this.#keys, this.#now(), this.#window).map((k) => ({
        ...k.publicJwk,
        kid: k.kid,
        alg: SIGNING_ALG,
        use: 'sig',
      })),
    };
  }

  /** A jose key resolver over the published set, for auth's own verifier. */
  readonly getKey: JWTVerifyGetKey = async (header) => {
    await this.#fresh();
    let found = this.#published(header.kid);
    if (!found && Date.now() - this.#loadedAt > 1_000) {
      // Another replica may have rotated since our last load.
      await this.reload();
      found = this.#published(header.kid);
    }
    if (!found || header.alg !== SIGNING_ALG) throw new errors.JWKSNoMatchingKey();
    return this.#publicKey(found);
  };

  /**
   * Adds a new key. With activateInMs > 0 the key is published first and signs only later, so
   * verifiers that cache the JWKS learn it before the first token carrying its kid arrives.
   */
  async rotate({ activateInMs }: { activateInMs: number }): Promise<{ kid: string; activates_at: Date }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.reload();
      const inserted = await this.#insertNext(activateInMs);
      if (inserted) return inserted;
    }
    throw new Error('could not rotate the signing key: too many concurrent rotations');
  }

  /** Inserts generation max+1 of what was last loaded; null when another writer took it first. */
  async #insertNext(activateInMs: number): Promise<{ kid: string; activates_at: Date } | null> {
    const generation = this.#keys.reduce((max, k) => Math.max(max, k.generation), 0) + 1;
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    const now = this.#now();
    const activates_at = new Date(now.getTime() + activateInMs);
    const inserted = await this.#store.insert({
      _id: kid,
      generation,
      alg: SIGNING_ALG,
      public_jwk: await exportJWK(publicKey),
      private_jwk: sealPrivateKey(await exportJWK(privateKey), this.#secret),
      created_at: now,
      activates_at,
    });
    if (!inserted) return null;
    await this.reload();
    return { kid, activates_at };
  }

  /** Scheduled rotation: adds a key when the newest one is older than maxAgeMs. */
  async rotateIfDue(maxAgeMs: number, activateInMs: number): Promise<boolean> {
    await this.reload();
    if (!rotationDue(this.#keys, this.#now(), maxAgeMs)) return false;
    await this.rotate({ activateInMs });
    return true;
  }

  /** Deletes keys whose tokens have all expired. */
  async prune(): Promise<string[]> {
    await this.reload();
    const gone = expiredKeys(this.#keys, this.#now(), this.#window).map((k) => k.kid);
    await this.#store.remove(gone);
    for (const kid of gone) {
      this.#imported.delete(kid);
      this.#importedPublic.delete(kid);
    }
    if (gone.length) await this.reload();
    return gone;
  }

  #published(kid: string | undefined): LoadedKey | undefined {
    if (!kid) return undefined;
    return publishedKeys(this.#keys, this.#now(), this.#window).find((k) => k.kid === kid);
  }

  #publicKey(key: LoadedKey): Promise<CryptoKey> {
    let imported = this.#importedPublic.get(key.kid);
    if (!imported) {
      imported = importJWK({ ...key.publicJwk, alg: SIGNING_ALG }, SIGNING_ALG) as Promise<CryptoKey>;
      imported.catch(() => this.#importedPublic.delete(key.kid));
      this.#importedPublic.set(key.kid, imported);
    }
    return imported;
  }

  #privateKey(key: LoadedKey): Promise<CryptoKey> {
    let imported = this.#imported.get(key.kid);
    if (!imported) {
      const jwk = openPrivateKey(key.doc.private_jwk, this.#secret, key.kid);
      imported = importJWK(jwk as JWK, SIGNING_ALG) as Promise<CryptoKey>;
      imported.catch(() => this.#imported.delete(key.kid));
      this.#imported.set(key.kid, imported);
    }
    return imported;
  }
}
