import { AppError, badRequest, conflict, forbidden, notFound, tooManyRequests } from '@convene/kit';
import { type AnswerRefusal, REFUSAL_DETAIL, type Status } from './domain/invitation-rules.ts';

/** Every error code this service answers with, in one place (clients may rely on them). */
export const Code = {
  EVENT_NOT_FOUND: 'EVENT_NOT_FOUND',
  INVITATION_NOT_FOUND: 'INVITATION_NOT_FOUND',
  NOT_EVENT_MANAGER: 'NOT_EVENT_MANAGER',
  EMAIL_MISMATCH: 'EMAIL_MISMATCH',
  ALREADY_INVITED: 'ALREADY_INVITED',
  ALREADY_PARTICIPANT: 'ALREADY_PARTICIPANT',
  CANNOT_INVITE_HOST: 'CANNOT_INVITE_HOST',
  ALREADY_ANSWERED: 'ALREADY_ANSWERED',
  INVITATION_EXPIRED: 'INVITATION_EXPIRED',
  INVITATION_CANCELLED: 'INVITATION_CANCELLED',
  NOT_PENDING: 'NOT_PENDING',
  RESEND_LIMIT: 'RESEND_LIMIT',
  TOKEN_GUESSING: 'TOKEN_GUESSING',
  EVENT_CLOSED: 'EVENT_CLOSED',
  NOTHING_TO_INVITE: 'NOTHING_TO_INVITE',
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
} as const;

export const eventNotFound = () => notFound('Not found.', Code.EVENT_NOT_FOUND);
export const invitationNotFound = () => notFound('Invitation not found.', Code.INVITATION_NOT_FOUND);
export const notManager = () =>
  forbidden('Only the host or a co-host of this event can manage its invitations.', Code.NOT_EVENT_MANAGER);
export const emailMismatch = () =>
  badRequest(
    'This invitation was sent to a different email address than the one you are signed in with.',
    Code.EMAIL_MISMATCH,
  );
export const cannotAnswer = (refusal: AnswerRefusal, status: Status) =>
  badRequest(REFUSAL_DETAIL[refusal](status), refusal);
export const notPending = (status: Status) =>
  badRequest(`Only pending invitations can be changed; this one is ${status}.`, Code.NOT_PENDING);
export const resendLimit = (max: number) =>
  new AppError(429, Code.RESEND_LIMIT, `This invitation has already been resent ${max} times.`);
export const tokenGuessing = (retryAfterSec: number) =>
  tooManyRequests(
    retryAfterSec,
    'Too many unknown invitation links from this client. Try again later.',
    Code.TOKEN_GUESSING,
  );
export const eventClosed = () => badRequest('This event is no longer active.', Code.EVENT_CLOSED);
export const duplicateInvitation = (email: string) =>
  conflict(`${email} already has a pending invitation to this event.`, Code.ALREADY_INVITED);
export const alreadyParticipant = () =>
  badRequest('This person already takes part in the event.', Code.ALREADY_PARTICIPANT);
export const cannotInviteHost = (detail: string) => badRequest(detail, Code.CANNOT_INVITE_HOST);
export const dependencyUnavailable = (what: string) =>
  new AppError(503, Code.DEPENDENCY_UNAVAILABLE, `${what} cannot be reached right now.`, {
    headers: { 'Retry-After': '5' },
  });
