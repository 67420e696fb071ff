import { badRequest, notFound } from '@convene/kit';

/**
 * Every error code this service answers with or dead-letters a message with (besides kit's and
 * the bus's), in one place: clients and operators may rely on them.
 */
export const Code = {
  /** 404: not one of the caller's notifications (someone else's is as missing as a made-up id). */
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  /** 400: an unsubscribe link that was not signed here or names a category that cannot be switched off. */
  INVALID_UNSUBSCRIBE_LINK: 'INVALID_UNSUBSCRIBE_LINK',
  /** Dead-lettered: a message's data does not fit its template (a bug in the caller). */
  TEMPLATE_DATA_INVALID: 'TEMPLATE_DATA_INVALID',
  /** Dead-lettered: an invitation link is sealed and INVITATION_LINK_KEY is not configured. */
  INVITATION_LINK_KEY_MISSING: 'INVITATION_LINK_KEY_MISSING',
  /** Dead-lettered: the sealed invitation link cannot be opened with INVITATION_LINK_KEY. */
  INVITATION_LINK_UNREADABLE: 'INVITATION_LINK_UNREADABLE',
} as const;

export const notificationNotFound = () => notFound('Not found.', Code.NOTIFICATION_NOT_FOUND);
export const invalidUnsubscribeLink = () =>
  badRequest('This unsubscribe link is not valid.', Code.INVALID_UNSUBSCRIBE_LINK);
