import { normaliseEmail } from '@convene/domain-kit';
import { isDuplicateKey } from '@convene/kit';
import type { Store } from './store.ts';

interface InviteeFacts {
  invitation_id: string;
  event_id: string;
  invitee: { user_id: string | null; email: string };
}

/** An invitee's document id: one per person (by address) per event. */
export function inviteeId(eventId: string, email: string): string {
  return `${eventId}:${normaliseEmail(email)}`;
}

/** The invitee may read the (invite-only) event. A withdrawn invitation stays withdrawn; a new one for the same person replaces it. */
export async function recordInvitee(store: Store, data: InviteeFacts, now: Date): Promise<void> {
  try {
    await store.invitees.updateOne(
      {
        _id: inviteeId(data.event_id, data.invitee.email),
        $or: [{ cancelled: false }, { invitation_id: { $ne: data.invitation_id } }],
      },
      {
        $set: {
          event_id: data.event_id,
          email: normaliseEmail(data.invitee.email),
          user_id: data.invitee.user_id,
          invitation_id: data.invitation_id,
          cancelled: false,
        },
        $setOnInsert: { created_at: now },
      },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // the same invitation withdrawn meanwhile: keep it withdrawn
  }
}

/** The invitation was withdrawn: no longer an invitee, and a late invitation.accepted for it is ignored. */
export async function markInvitationWithdrawn(store: Store, data: InviteeFacts, now: Date): Promise<void> {
  await store.invitees.updateOne(
    { _id: inviteeId(data.event_id, data.invitee.email) },
    {
      $set: {
        cancelled: true,
        invitation_id: data.invitation_id,
        event_id: data.event_id,
        email: normaliseEmail(data.invitee.email),
      },
      $setOnInsert: { user_id: data.invitee.user_id, created_at: now },
    },
    { upsert: true },
  );
}

/** Index invitees {invitation_id}. */
export async function invitationWithdrawn(store: Store, invitationId: string): Promise<boolean> {
  return (await store.invitees.exists({ invitation_id: invitationId, cancelled: true })) !== null;
}
