export { json, page } from '@convene/kit';

import { PageQuery, z } from '@convene/kit';
import { INVITATION_STATES } from '../domain/invitation-rules.ts';

export const InvitationOut = z
  .object({
    id: z.string(),
    event: z.string(),
    event_title: z.string(),
    email: z.string(),
    full_name: z.string(),
    invitee: z.string().nullable(),
    invited_by: z.string(),
    invited_by_name: z.string(),
    role: z.enum(['attendee', 'cohost']),
    message: z.string(),
    status: z.enum(['pending', 'accepted', 'declined', 'expired', 'cancelled']),
    reservation: z.enum(['pending', 'confirmed', 'waitlisted', 'offered', 'rejected', 'cancelled']).nullable(),
    is_vip: z.boolean(),
    bypass_capacity: z.boolean(),
    expires_at: z.string(),
    responded_at: z.string().nullable(),
    resend_count: z.number().int(),
    created_at: z.string(),
  })
  .openapi('Invitation');

export const SkippedOut = z
  .object({
    email: z.string().nullable(),
    user_id: z.string().nullable(),
    reason: z.enum(['already_invited', 'already_participant', 'invalid_email', 'unknown_user', 'is_host']),
    detail: z.string(),
  })
  .openapi('SkippedInvitation');

export const SendOut = z
  .object({ created: z.array(InvitationOut), skipped: z.array(SkippedOut) })
  .openapi('InvitationsSent');

// The names roleFrom knows (case and surrounding spaces aside); empty is the default, attendee.
export const RoleInput = z
  .string()
  .optional()
  .openapi({
    description: 'attendee | cohost (legacy roles: viewer → attendee, contributor/custodian → cohost)',
    enum: ['', 'attendee', 'cohost', 'co-host', 'viewer', 'contributor', 'custodian'],
  });

/**
 * One body for every way of inviting: `emails` / `email` (the attendee-invitation and legacy
 * /api/invites APIs), `user_ids` / `invitee` (the invitee-list API), the legacy API's `tree_id`
 * naming the event on POST /api/invites.
 */
export const SendBody = z
  .object({
    emails: z.array(z.string()).max(1000).optional(),
    email: z.string().optional(),
    user_ids: z.array(z.string().min(1)).max(1000).optional(),
    invitee: z
      .union([z.string().min(1), z.number()])
      .optional()
      .openapi({ description: 'A user id (the invitee-list API).' }),
    tree_id: z.string().min(1).optional().openapi({ description: 'The event id (the legacy /api/invites API).' }),
    event: z.string().min(1).optional(),
    full_name: z.string().max(200).optional(),
    message: z.string().max(5000).optional(),
    role: RoleInput,
    is_vip: z.boolean().optional(),
    bypass_capacity: z.boolean().optional(),
    expires_in_days: z.number().positive().max(365).optional(),
  })
  // sendInputFrom refuses a body naming nobody.
  .openapi('InvitationInput', {
    anyOf: [
      { required: ['emails'], properties: { emails: { minItems: 1 } } },
      { required: ['email'] },
      { required: ['user_ids'], properties: { user_ids: { minItems: 1 } } },
      { required: ['invitee'] },
    ],
  });
export type SendBody = z.infer<typeof SendBody>;

/** The legacy /api/invites body: the same, and the event named in it (`tree_id`, or `event`). */
export const LegacySendBody = SendBody.openapi('LegacyInvitationInput', {
  allOf: [{ anyOf: [{ required: ['tree_id'] }, { required: ['event'] }] }],
});

export const PatchBody = z
  .strictObject({
    full_name: z.string().max(200).optional(),
    message: z.string().max(5000).optional(),
    role: RoleInput,
    is_vip: z.boolean().optional(),
    bypass_capacity: z.boolean().optional(),
  })
  .openapi('InvitationPatch');

/** A resend keeps the link unless asked to replace it (decision 0044). */
export const ResendBody = z
  .object({
    rotate: z
      .boolean()
      .optional()
      .openapi({ description: 'true: a new link replaces the old one, which stops working at once (a leaked link).' }),
  })
  .openapi('InvitationResend');
export type ResendBody = z.infer<typeof ResendBody>;

export const VerifyOut = z
  .object({
    token: z.string(),
    event_id: z.string(),
    event_name: z.string(),
    event_description: z.string(),
    event_start_time: z.string(),
    event_end_time: z.string().nullable().openapi({ description: 'ISO 8601 UTC; null when events cannot say.' }),
    event_timezone: z
      .string()
      .openapi({ description: 'The IANA zone the event is held in (UTC when unknown): what its times are shown in.' }),
    event_location: z.string(),
    host_name: z.string().nullable().openapi({ description: 'The host’s display name (never their email).' }),
    invited_by: z.string(),
    email: z.string(),
    full_name: z.string(),
    role: z.string(),
    message: z.string(),
    expires_at: z.string(),
    status: z.string(),
    state: z.enum(INVITATION_STATES).openapi({
      description:
        'The status in one word a page can say: a pending one whose event closed is event_closed, an accepted one names the seat (accepted_confirmed, accepted_waitlisted, …).',
    }),
    reservation: z.string().nullable(),
    responded_at: z.string().nullable(),
    can_accept: z.boolean(),
    is_expired: z.boolean(),
  })
  .openapi('InvitationVerification');

export const AcceptBody = z
  .object({
    token: z.string().min(1),
    full_name: z.string().max(200).optional(),
    phone: z.string().max(40).optional(),
  })
  .openapi('GuestAcceptance');

export const RejectBody = z.object({ token: z.string().min(1) }).openapi('GuestDecline');

export const AnswerBody = z
  .object({
    // The words answerFrom knows (case and surrounding spaces aside).
    status: z
      .string()
      .min(1)
      .openapi({ example: 'accepted', enum: ['accepted', 'accept', 'declined', 'decline', 'rejected', 'reject'] }),
  })
  .openapi('InvitationAnswer');

export const StatsOut = z
  .object({
    total_sent: z.number().int(),
    pending: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    expired: z.number().int(),
    cancelled: z.number().int(),
    acceptance_rate: z.number(),
  })
  .openapi('InvitationStats');

export const ImportOut = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), errors: z.record(z.string(), z.array(z.string())) })),
    skips: z.array(z.object({ row: z.number().int(), email: z.string(), reason: z.string(), detail: z.string() })),
    truncated: z.boolean(),
  })
  .openapi('InvitationImport');

export const InvitationParams = z.object({ id: z.string().min(1), inv: z.string().min(1) });
export const TokenParam = z.object({ token: z.string().min(1) });
export const StatusQuery = z.object({
  status: z.string().optional(),
  ...PageQuery.shape,
});
export { PageQuery };
