import { hash, verify } from '@node-rs/argon2';

export interface Argon2Settings {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the time a real check would when there is no account (or no password) to check
   * against, so response times do not tell which usernames exist.
   */
  verifyNothing(password: string): Promise<false>;
}

/** argon2id (the library's default algorithm) with the configured cost. */
export function passwordHasher(settings: Argon2Settings): PasswordHasher {
  let decoy: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    hash: (password) => hash(password, settings),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      decoy ??= hash('decoy password that matches nothing', settings);
      await hasher.verify(await decoy, password);
      return false;
    },
  };
  return hasher;
}
