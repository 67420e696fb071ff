import { internalRead } from './internal-read.ts';

export interface KnownUser {
  user_id: string;
  email: string;
  name: string;
}

export interface UserDirectory {
  /** An account by id (auth's GET /internal/users/:id); null when there is none. */
  find(userId: string): Promise<KnownUser | null>;
}

interface UserSnapshot {
  user_id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
}

export function userDirectory({ authUrl, timeoutMs }: { authUrl: string; timeoutMs: number }): UserDirectory {
  return {
    async find(userId) {
      const user = await internalRead<UserSnapshot>(
        authUrl,
        `/internal/users/${encodeURIComponent(userId)}`,
        timeoutMs,
        'The accounts service',
      );
      if (!user) return null;
      const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || user.username;
      return { user_id: user.user_id, email: user.email, name };
    },
  };
}
