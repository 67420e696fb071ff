import { PageQuery, z } from '@convene/kit';
import { EventLimits } from '../domain/event-rules.ts';
import { orderingChoices } from '../domain/list-filter.ts';

const dateTime = z.iso.datetime({
  offset: true,
  error: 'Enter a valid date-time (ISO 8601 with a time zone, e.g. 2030-07-20T14:00:00Z).',
});

/**
 * What the server checks is a zone name its runtime knows, which no pattern states exactly; the
 * schema says only what every such name is (a short non-empty string), the server the rest.
 */
const TimeZoneField = z.string().openapi({
  description:
    'IANA time zone the event is shown in, e.g. Europe/Kyiv (an unknown name is refused). Only for display: start_time and end_time are instants and do not move when it changes. Defaults to DEFAULT_EVENT_TIMEZONE on create.',
  example: 'Europe/Kyiv',
  minLength: 1,
  maxLength: 64,
});

const TimeZoneOut = z.string().openapi({
  description: 'IANA time zone to show start_time and end_time in (they are ISO 8601 UTC instants).',
  example: 'Europe/Kyiv',
});

/** Fields the API returns but a client may send back in a PUT (DRF ignores read-only fields). */
const readOnly = Object.fromEntries(
  [
    'id',
    'host',
    'organizer',
    'host_name',
    'organizer_name',
    'cohosts',
    'attendees_count',
    'waitlist_count',
    'available_spots',
    'is_past',
    'created_at',
    'updated_at',
  ].map((name) => [name, z.unknown().optional().openapi({ description: 'Read-only; ignored.' })]),
);

// A legacy name and its canonical one are one field: never both (eventChanges refuses it).
const neverBothNames = [
  { not: { required: ['date', 'start_time'] } },
  { not: { required: ['max_attendees', 'max_participants'] } },
];

/**
 * Create / update body. The legacy events API's names are accepted: `date` for start_time, `max_attendees` for
 * max_participants. Lengths and cross-field rules (end after start, capacity not below the seats
 * taken) are checked by the domain so every message comes back at once.
 */
export const EventBody = z
  .strictObject({
    // Lengths as eventChanges counts them (after trimming; blank is refused).
    title: z
      .string()
      .optional()
      .openapi({ example: 'Python Workshop', pattern: '\\S', maxLength: EventLimits.titleMax }),
    description: z.string().optional().openapi({ maxLength: EventLimits.descriptionMax }),
    location: z
      .string()
      .optional()
      .openapi({ example: 'Tech Hub, New York', pattern: '\\S', maxLength: EventLimits.locationMax }),
    start_time: dateTime.optional().openapi({ example: '2030-07-20T14:00:00Z' }),
    date: dateTime.optional().openapi({ description: 'The legacy events API name of start_time.' }),
    end_time: dateTime
      .optional()
      .openapi({ description: 'Defaults to start_time + DEFAULT_EVENT_DURATION on create.' }),
    max_participants: z
      .number()
      .int('A valid integer is required.')
      .optional()
      .openapi({ example: 30, minimum: 1, maximum: EventLimits.capacityMax }),
    max_attendees: z.number().int('A valid integer is required.').optional().openapi({
      description: 'The legacy events API name of max_participants.',
      minimum: 1,
      maximum: EventLimits.capacityMax,
    }),
    timezone: TimeZoneField.optional(),
    visibility: z.enum(['public', 'invite_only']).optional(),
    is_active: z.boolean().optional(),
    requires_check_in: z
      .boolean()
      .optional()
      .openapi({ description: 'Attendees must be checked in before they may leave feedback.' }),
    waitlist_mode: z
      .enum(['auto', 'offer'])
      .optional()
      .openapi({ description: 'auto: a freed seat goes to the next in line; offer: it is held for them to accept.' }),
    offer_window_hours: z
      .number()
      .positive()
      .nullable()
      .optional()
      .openapi({ description: 'Offer mode: how long a seat is held.', maximum: EventLimits.offerWindowHoursMax }),
    ...readOnly,
  })
  .openapi('EventInput', { allOf: neverBothNames });
export type EventBody = z.infer<typeof EventBody>;

/** A new event: what eventChanges requires of one (a legacy name stands for its canonical one). */
export const EventCreateBody = EventBody.openapi('EventCreateInput', {
  required: ['title', 'location'],
  allOf: [
    ...neverBothNames,
    { anyOf: [{ required: ['start_time'] }, { required: ['date'] }] },
    { anyOf: [{ required: ['max_participants'] }, { required: ['max_attendees'] }] },
  ],
});

const Cohost = z.object({
  id: z
    .string()
    .nullable()
    .openapi({ description: 'User id; null for a co-host without an account, except for the host and co-hosts.' }),
  name: z.string(),
});

export const EventOut = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    start_time: z.string(),
    date: z.string().openapi({ description: 'The legacy events API name of start_time, echoed.' }),
    end_time: z.string(),
    timezone: TimeZoneOut,
    location: z.string(),
    host: z.string(),
    organizer: z.string().openapi({ description: 'The legacy events API name of host, echoed.' }),
    host_name: z.string(),
    organizer_name: z.string().openapi({ description: 'The legacy events API name of host_name, echoed.' }),
    cohosts: z.array(Cohost),
    max_participants: z.number().int(),
    max_attendees: z.number().int().openapi({ description: 'The legacy events API name of max_participants, echoed.' }),
    visibility: z.enum(['public', 'invite_only']),
    is_active: z.boolean(),
    requires_check_in: z.boolean(),
    waitlist_mode: z.enum(['auto', 'offer']),
    offer_window_hours: z.number().nullable(),
    attendees_count: z.number().int(),
    waitlist_count: z.number().int(),
    available_spots: z.number().int(),
    is_past: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Event');

export const RegistrationOut = z
  .object({
    id: z.string(),
    user: z.string(),
    event: z.string(),
    status: z.enum(['confirmed', 'waitlisted', 'offered', 'cancelled']),
    registered_at: z.string(),
    is_cancelled: z.boolean(),
    waitlist_position: z.number().int().optional(),
    offer_expires_at: z.string().optional(),
  })
  .openapi('Registration');

export const ParticipantOut = z
  .object({
    id: z.string(),
    user: z.string().nullable().openapi({
      description: 'User id; null for a participant without an account, except for the host and co-hosts.',
    }),
    event: z.string(),
    name: z.string(),
    email: z.string().optional().openapi({ description: 'Only for the host and co-hosts.' }),
    status: z.enum(['confirmed', 'waitlisted', 'offered', 'cancelled']),
    registered_at: z.string(),
    is_cancelled: z.boolean(),
    checked_in: z.boolean(),
    checked_in_at: z.string().nullable(),
    promoted: z.boolean(),
    bypassed_capacity: z.boolean(),
    waitlist_position: z.number().int().optional(),
  })
  .openapi('Participant');

export const MyRegistrationOut = z
  .object({
    id: z.string(),
    event: z.object({
      id: z.string(),
      title: z.string(),
      date: z.string(),
      start_time: z.string(),
      end_time: z.string(),
      timezone: TimeZoneOut,
      location: z.string(),
    }),
    status: z.enum(['confirmed', 'waitlisted', 'offered', 'cancelled']),
    registered_at: z.string(),
    is_cancelled: z.boolean(),
    checked_in: z.boolean(),
    waitlist_position: z.number().int().optional(),
  })
  .openapi('MyRegistration');

export const RegisterBody = z
  .strictObject({
    waitlist: z.boolean().optional().openapi({ description: 'Join the waitlist when the event is full.' }),
  })
  .openapi('RegisterRequest');

export const Detail = z.object({ detail: z.string() }).openapi('Detail');

// What parseListQuery accepts, documented: an empty value is no filter.
function dateBound(description: string) {
  return z
    .string()
    .optional()
    .openapi({
      description,
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
        { type: 'string', maxLength: 0 },
      ],
    });
}

function queryFlag(description: string) {
  return z
    .string()
    .optional()
    .openapi({ description, enum: ['', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] });
}

export const ListQuery = z
  .object({
    search: z
      .string()
      .optional()
      .openapi({ description: 'Words to find (prefixes) in title, location and description.' }),
    title: z.string().optional().openapi({ description: 'Exact title, case-insensitive.' }),
    location: z.string().optional().openapi({ description: 'Partial, case-insensitive (each word a prefix).' }),
    host: z.string().optional(),
    organizer: z.string().optional().openapi({ description: 'The legacy events API name of host.' }),
    date_after: dateBound('Start on or after (YYYY-MM-DD or date-time).'),
    date_before: dateBound('Start on or before (YYYY-MM-DD: the whole day).'),
    start_after: dateBound('Start on or after.'),
    start_before: dateBound('Start on or before.'),
    end_after: dateBound('End on or after.'),
    end_before: dateBound('End on or before.'),
    has_spots: queryFlag('true: seats free; false: full.'),
    is_past: queryFlag('true: started already; false: not yet.'),
    is_active: queryFlag('Active (not cancelled) events only, or inactive ones only.'),
    ordering: z
      .string()
      .optional()
      .openapi({
        description: 'start_time, -start_time, created_at, -created_at, title, -title (date = start_time).',
        enum: ['', ...orderingChoices.flatMap((c) => [c, `-${c}`, `+${c}`])],
      }),
    ...PageQuery.shape,
  })
  .passthrough();
