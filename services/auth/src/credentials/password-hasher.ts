// Loaded on the first hash, not at boot: the native module is not needed by an idle replica.
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
};

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
    hash: async (password) => (await loadArgon2()).hash(password, settings),
    async verify(passwordHash, password) {
      try {
        return await (await loadArgon2()).verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      decoy ??= hasher.hash('decoy password that matches nothing');
      await hasher.verify(await decoy, password);
      return false;
    },
  };
  return hasher;
}
