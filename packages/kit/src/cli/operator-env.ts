/** What `./convene start` uses when nothing is set: the local broker and MongoDB-wire server. */
export const LOCAL_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** The services that consume from the bus, so the ones with a dead-letter queue (their src/consumers/subscriptions.ts). */
export const CONSUMING_SERVICES = ['events', 'invitations', 'feedback', 'notifier'] as const;

/** The services with a database, so an outbox: every one but the gateway. */
export const SERVICES_WITH_DATABASE = ['auth', 'events', 'invitations', 'feedback', 'notifier'] as const;

/** `./convene start`'s database of a service on a shared server: `<base>/convene_<service>`. */
export function databaseUrl(base: string, service: string): string {
  const url = new URL(base);
  url.pathname = `/convene_${service}`;
  return url.toString();
}
