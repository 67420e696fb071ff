export { Env } from './env.ts';
export { expireOverdueInvitations } from './flows/expire-overdue-invitations.ts';
export { createService, type InvitationsService, type ServiceOptions } from './service.ts';
