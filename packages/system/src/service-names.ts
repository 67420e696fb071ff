/** The services behind the gateway, in the order a system starts them (auth first: the others verify its tokens). */
export const SERVICE_NAMES = ['auth', 'events', 'invitations', 'feedback', 'notifier'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
