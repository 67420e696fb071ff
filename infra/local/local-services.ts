// What `./convene start` runs: every service on its fixed local port, and the environment each gets
// on top of the caller's. Kept apart from start-all.ts so a test can check that each service's
// Env schema accepts it (packages/system/test/deploy/local-start.test.ts).

export const LOCAL_SERVICES = [
  { name: 'auth', port: 8081 },
  { name: 'events', port: 8082 },
  { name: 'invitations', port: 8083 },
  { name: 'feedback', port: 8084 },
  { name: 'notifier', port: 8085 },
  { name: 'gateway', port: 8080 },
] as const;

export type LocalServiceName = (typeof LOCAL_SERVICES)[number]['name'];

/**
 * The key invitations seals invitation links with and the notifier opens them with: the two must
 * hold the same one, or every invitation email dead-letters in the notifier. Like compose's
 * default, a published local-only value (base64 of 32 bytes); set INVITATION_LINK_KEY to use your own.
 */
export const LOCAL_ONLY_INVITATION_LINK_KEY = Buffer.from('local-only-invitation-link-key!!').toString('base64');

export const localUrl = (port: number) => `http://127.0.0.1:${port}`;

export interface LocalInfra {
  mongoBaseUrl: string;
  amqpUrl: string;
  publicUrl?: string | undefined;
  invitationLinkKey?: string | undefined;
}

/** The environment `./convene start` gives one service (the caller's own environment goes under it). */
export function localServiceEnv(
  name: LocalServiceName,
  infra: LocalInfra,
  present: readonly LocalServiceName[] = LOCAL_SERVICES.map((s) => s.name),
): Record<string, string> {
  const port = LOCAL_SERVICES.find((s) => s.name === name)?.port ?? 0;
  const upstreams = Object.fromEntries(
    LOCAL_SERVICES.filter((s) => s.name !== 'gateway').map((s) => [`${s.name.toUpperCase()}_URL`, localUrl(s.port)]),
  );
  return {
    ...upstreams,
    PORT: String(port),
    MONGO_URL: `${infra.mongoBaseUrl}/convene_${name}`,
    AMQP_URL: infra.amqpUrl,
    AUTH_JWKS_URL: `${localUrl(8081)}/.well-known/jwks.json`,
    PUBLIC_URL: infra.publicUrl ?? localUrl(8080),
    // The gateway's /healthz reports only the services this checkout has.
    READY_UPSTREAMS: present.filter((s) => s !== 'gateway').join(','),
    INVITATION_LINK_KEY: infra.invitationLinkKey ?? LOCAL_ONLY_INVITATION_LINK_KEY,
  };
}
