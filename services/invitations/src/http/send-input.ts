import { type AppError, validationError } from '@convene/kit';
import { roleFrom } from '../domain/invitation-rules.ts';
import { alreadyParticipant, cannotInviteHost, duplicateInvitation } from '../errors.ts';
import type { SendOptions, Skipped } from '../flows/create-invitations.ts';
import type { SendBody } from './schemas.ts';

const DAY = 86_400_000;

/** The recipients and options a send body asks for, in whichever API's shape it came (canonical or a compatibility alias). */
export function sendInputFrom(body: SendBody, defaultTtlMs: number) {
  const emails = [...(body.emails ?? []), ...(body.email !== undefined ? [body.email] : [])];
  const userIds = [...(body.user_ids ?? []), ...(body.invitee !== undefined ? [String(body.invitee)] : [])];
  if (emails.length === 0 && userIds.length === 0) {
    throw validationError({ emails: ['Give at least one email (emails, email) or user (user_ids, invitee).'] });
  }
  const role = roleFrom(body.role);
  if (!role) throw validationError({ role: [`"${body.role}" is not a valid choice (attendee, cohost).`] });
  const options: SendOptions = {
    message: body.message ?? '',
    role,
    is_vip: body.is_vip ?? false,
    bypass_capacity: body.bypass_capacity ?? false,
    expires_in_ms: body.expires_in_days ? Math.round(body.expires_in_days * DAY) : defaultTtlMs,
  };
  return { emails, userIds, options, single: emails.length + userIds.length === 1 };
}

/** A request for one invitee that was skipped is an error (409 for a duplicate, as the legacy /api/invites API answers; 400 otherwise). */
export function singleSkipError(skip: Skipped): AppError {
  switch (skip.reason) {
    case 'already_invited':
      return duplicateInvitation(skip.email ?? 'This person');
    case 'invalid_email':
      return validationError({ email: ['Enter a valid email address.'] });
    case 'unknown_user':
      return validationError({ invitee: ['No such user.'] });
    case 'already_participant':
      return alreadyParticipant();
    case 'is_host':
      return cannotInviteHost(skip.detail);
  }
}
