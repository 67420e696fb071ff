import type { DomainEvent } from '@convene/contracts';
import { findEventView } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOf } from './event-facts.ts';
import { queueNotifications } from './queue-notifications.ts';

/** invitation.accepted / .declined: tell the host who invited. */
export async function tellHostAboutInvitationAnswer(
  flows: FlowContext,
  message: DomainEvent<'invitation.accepted'> | DomainEvent<'invitation.declined'>,
) {
  const invitation = message.data;
  const view = await findEventView(flows.store, invitation.event_id);
  return queueNotifications(flows, message, [
    {
      type: message.type === 'invitation.accepted' ? 'invitation-accepted' : 'invitation-declined',
      recipient: invitation.invited_by,
      data: {
        name: invitation.invited_by.name,
        invitee_name: invitation.invitee.name || invitation.invitee.email,
        invitee_email: invitation.invitee.email,
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
      },
      links: { event_id: invitation.event_id, invitation_id: invitation.invitation_id },
    },
  ]);
}
