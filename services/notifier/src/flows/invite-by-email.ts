import { PermanentError } from '@convene/bus';
import { type DomainEvent, openSealedToken } from '@convene/contracts';
import { Code } from '../errors.ts';
import { findEventView } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOf } from './event-facts.ts';
import { queueNotifications } from './queue-notifications.ts';

type InvitationMessage =
  | DomainEvent<'invitation.sent'>
  | DomainEvent<'invitation.resent'>
  | DomainEvent<'invitation.reminder_due'>;

/**
 * invitation.sent / .resent / .reminder_due: email the invitee the accept link, the host's
 * personal message and the event; an invitee with an account also gets an inbox entry (and a
 * real-time notice). The link's token travels sealed; it is opened here, only to be put in the email.
 */
export async function inviteByEmail(flows: FlowContext, message: InvitationMessage) {
  const invitation = message.data;
  const link = invitationLink(flows, invitation);
  const view = await findEventView(flows.store, invitation.event_id);
  const data = {
    name: invitation.invitee.name || invitation.invitee.email,
    host_name: invitation.invited_by.name,
    event: factsOf(
      flows.publicUrl,
      invitation.event_id,
      {
        title: invitation.event_title,
        start_time: invitation.event_start_time,
        end_time: invitation.event_end_time ?? null,
        timezone: invitation.event_timezone,
      },
      view,
    ),
    message: invitation.message,
    accept_url: link,
    expires_at: invitation.expires_at,
    role: invitation.role,
    is_vip: invitation.is_vip,
  };
  const recipient = invitation.invitee;
  const links = { event_id: invitation.event_id, invitation_id: invitation.invitation_id, url: link };
  return queueNotifications(flows, message, [
    message.type === 'invitation.reminder_due'
      ? { type: 'invitation-reminder', recipient, links, data }
      : { type: 'invitation-sent', recipient, links, data: { ...data, resent: message.type === 'invitation.resent' } },
  ]);
}

function invitationLink(flows: FlowContext, invitation: InvitationMessage['data']): string {
  if (!invitation.sealed_token) return invitation.invite_url;
  if (!flows.invitationLinkKey) {
    throw new PermanentError('the invitation link is sealed and INVITATION_LINK_KEY is not configured', {
      code: Code.INVITATION_LINK_KEY_MISSING,
    });
  }
  try {
    return (
      invitation.invite_url +
      openSealedToken(invitation.sealed_token, flows.invitationLinkKey, invitation.invitation_id)
    );
  } catch (cause) {
    throw new PermanentError('the invitation link cannot be opened with INVITATION_LINK_KEY', {
      code: Code.INVITATION_LINK_UNREADABLE,
      cause,
    });
  }
}
