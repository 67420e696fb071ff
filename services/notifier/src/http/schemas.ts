import { PageQuery, page, z } from '@convene/kit';
import { CATEGORIES, MESSAGE_TYPES, OPTIONAL_CATEGORIES } from '../domain/message-types.ts';
import { DELIVERY_STATUSES } from '../store/delivery-model.ts';

/**
 * The `{id}` of a notification. Not kit's IdParam (at most 100 characters): an inbox entry's id is
 * `<source envelope id>:<message type>:<user id>`, which can be longer.
 */
export const NotificationIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const NotificationOut = z
  .object({
    id: z.string(),
    type: z.string().openapi({ description: `One of ${MESSAGE_TYPES.join(', ')}.` }),
    title: z.string(),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Ids to link to: event_id, invitation_id, url, ...' }),
    is_read: z.boolean(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Notification');

export const NotificationPage = page(NotificationOut, 'NotificationPage').extend({
  unread_count: z.number().int(),
});

export const InboxQuery = z.object({
  unread: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: 'Only unread notifications.' }),
  ...PageQuery.shape,
});

export const DeliveryOut = z
  .object({
    id: z.string(),
    template: z.string(),
    category: z.string().openapi({ description: `One of ${CATEGORIES.join(', ')}.` }),
    recipient: z.object({ email: z.string(), name: z.string(), user_id: z.string().nullable() }),
    source_event_id: z.string(),
    source_type: z.string(),
    status: z.string().openapi({ description: `One of ${DELIVERY_STATUSES.join(', ')}.` }),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    attempt_log: z.array(
      z.object({
        at: z.string(),
        outcome: z.string(),
        error: z.string().nullable(),
        response_code: z.number().nullable(),
      }),
    ),
    created_at: z.string(),
    sent_at: z.string().nullable(),
  })
  .openapi('Delivery');

export const DeliveryQuery = z.object({
  status: z.enum(['queued', 'sent', 'failed', 'dead']).optional(),
  recipient: z.string().optional().openapi({ description: 'Exact address, case-insensitive.' }),
  template: z.string().optional().openapi({ description: 'A message type, e.g. invitation-sent.' }),
  ...PageQuery.shape,
});

export const PreferencesOut = z
  .object({
    opted_out: z.array(z.string()),
    categories: z.array(z.string()).openapi({ description: 'What can be switched off (security mail cannot).' }),
  })
  .openapi('NotificationPreferences');

export const PreferencesBody = z
  .strictObject({
    // What chooseWhatToReceive takes: the categories that can be switched off, nothing else.
    opted_out: z.array(z.string().openapi({ enum: [...OPTIONAL_CATEGORIES] })),
  })
  .openapi('NotificationPreferencesUpdate');
