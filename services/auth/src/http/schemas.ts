export { json, jsonBody } from '@convene/kit';

import { PageQuery, z } from '@convene/kit';
import { LOCALE_MAX_LENGTH, TIMEZONE_MAX_LENGTH } from '../domain/profile-preferences.ts';
import { ROLES, USER_STATUSES, USERNAME_HINT, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../domain/user.ts';

// Messages in Django REST Framework's words: clients of the legacy events and participation APIs show them as they are.
const BLANK = 'This field may not be blank.';
const notMoreThan = (n: number) => `Ensure this field has no more than ${n} characters.`;

export const Username = z
  .string()
  .trim()
  .min(1, BLANK)
  .max(USERNAME_MAX_LENGTH, notMoreThan(USERNAME_MAX_LENGTH))
  .regex(USERNAME_PATTERN, USERNAME_HINT)
  .openapi({ example: 'newuser' });

// zod's email check, as a pattern: `format: email` would promise more (quoted local parts, `%`, `|`)
// and less (a local part over 64 characters) than the server takes.
export const Email = z
  .string()
  .regex(z.regexes.email, { error: 'Enter a valid email address.' })
  .max(254, notMoreThan(254))
  .openapi({ example: 'newuser@example.com', description: 'An email address.' });

const Name = z.string().trim().max(150, notMoreThan(150));

// Bounded strings, and no more: which zones exist is the runtime's zone database, and which tags
// are well formed is Intl's BCP 47 parser (the flows ask both and answer 400 naming the field).
const TimeZone = z
  .string()
  .min(1, BLANK)
  .max(TIMEZONE_MAX_LENGTH, notMoreThan(TIMEZONE_MAX_LENGTH))
  .nullable()
  .openapi({
    example: 'Europe/Kyiv',
    description: "The person's own IANA time zone, for the times shown to them; null for none (clears it).",
  });
const Locale = z.string().min(1, BLANK).max(LOCALE_MAX_LENGTH, notMoreThan(LOCALE_MAX_LENGTH)).nullable().openapi({
  example: 'en-GB',
  description: "The person's BCP 47 language tag, kept in its canonical form; null for none (clears it).",
});

/** Any typed password; the policy is applied by the use case so all its messages come back at once. */
const Password = z.string().min(1, BLANK).max(1024, notMoreThan(1024));

export const RegisterBody = z
  .strictObject({
    username: Username,
    email: Email,
    password: Password.openapi({ example: 'SecurePass123!' }),
    password2: Password.optional().openapi({ description: 'Repeat of password; checked when present.' }),
    first_name: Name.optional().openapi({ example: 'John' }),
    last_name: Name.optional().openapi({ example: 'Doe' }),
    timezone: TimeZone.optional(),
    locale: Locale.optional(),
  })
  .openapi('RegisterRequest');

export const LoginBody = z
  .strictObject({
    username: z.string().trim().min(1, BLANK).max(254).optional().openapi({
      description: 'Username or email address.',
      example: 'newuser',
      pattern: '\\S',
    }),
    email: z
      .string()
      .trim()
      .min(1, BLANK)
      .max(254)
      .optional()
      .openapi({ description: 'Alternative to username.', pattern: '\\S' }),
    password: Password,
  })
  .refine((body) => body.username !== undefined || body.email !== undefined, {
    message: 'This field is required.',
    path: ['username'],
  })
  .openapi('LoginRequest', {
    // Each branch closed on its own: generators read a branch without the object it refines.
    anyOf: ['username', 'email'].map((name) => ({
      required: [name],
      properties: { username: {}, email: {}, password: {} },
      additionalProperties: false,
    })),
    additionalProperties: false,
  });

export const RefreshBody = z.strictObject({ refresh: z.string().min(1, BLANK).max(512) }).openapi('RefreshRequest');

export const LogoutBody = z.strictObject({ refresh: z.string().max(512).optional() }).openapi('LogoutRequest');

const profileFields = {
  username: Username,
  email: Email,
  first_name: Name.optional(),
  last_name: Name.optional(),
  timezone: TimeZone.optional(),
  locale: Locale.optional(),
};
/** PUT replaces the profile: username and email are required, as in DRF's non-partial update. */
export const ProfilePut = z.strictObject(profileFields).openapi('ProfileUpdate');
export const ProfilePatch = z.strictObject(profileFields).partial().openapi('ProfilePatch');

export const ChangePasswordBody = z
  .strictObject({
    old_password: Password,
    new_password: Password.openapi({ example: 'newSecurePassword123!' }),
    new_password2: Password.optional(),
  })
  .openapi('ChangePasswordRequest');

export const SetPasswordBody = z
  .strictObject({ password: Password, password2: Password.optional() })
  .openapi('SetPasswordRequest');

export const Role = z.enum(ROLES as [string, ...string[]]);
export const Status = z.enum(USER_STATUSES as [string, ...string[]]);

export const CreateUserBody = z
  .strictObject({
    email: Email,
    username: Username.optional().openapi({ description: 'Defaults to the email address.' }),
    first_name: Name.optional(),
    last_name: Name.optional(),
    role: Role.optional().openapi({ description: 'user (default) or admin.' }),
  })
  .openapi('CreateUserRequest');

export const BulkBody = z
  .strictObject({
    action: z.enum(['activate', 'deactivate'], { error: 'Must be "activate" or "deactivate".' }),
    ids: z.array(z.string().min(1).max(100)).min(1, 'Give at least one id.').max(100, 'At most 100 ids at once.'),
  })
  .openapi('BulkUserAction');

export const UsersQuery = z.object({
  status: z
    .enum(['active', 'inactive', 'invited', 'disabled'], {
      error: 'Must be one of: active, inactive, invited, disabled.',
    })
    .optional()
    .openapi({ description: 'inactive = invited or disabled.' }),
  ...PageQuery.shape,
});

export const TokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(512)
    .openapi({ param: { name: 'token', in: 'path' } }),
});

// Responses ---------------------------------------------------------------------------------------

export const UserOut = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    role: z.string(),
    status: z.string(),
    is_active: z.boolean(),
    date_joined: z.string(),
    last_login: z.string().nullable(),
    timezone: z
      .string()
      .max(TIMEZONE_MAX_LENGTH)
      .nullable()
      .openapi({ description: 'IANA time zone; null when not chosen.' }),
    locale: z
      .string()
      .max(LOCALE_MAX_LENGTH)
      .nullable()
      .openapi({ description: 'BCP 47 language tag; null when not chosen.' }),
  })
  .openapi('User');

export const InvitationOut = z
  .object({ sent_at: z.string(), expires_at: z.string(), is_expired: z.boolean(), send_count: z.number() })
  .openapi('UserInvitationStatus');

export const AdminUserOut = UserOut.extend({ invitation: InvitationOut.nullable() }).openapi('AdminUser');

export const TokenPair = z.object({ access: z.string(), refresh: z.string() }).openapi('TokenPair');
export const LoginOut = TokenPair.extend({ user: UserOut }).openapi('LoginResponse');
export const Detail = z.object({ detail: z.string() }).openapi('Detail');

export const InvitationView = z
  .object({
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    expires_at: z.string(),
    is_expired: z.boolean(),
  })
  .openapi('SetPasswordInvitation');

export const SetPasswordOut = Detail.extend({ user: UserOut }).openapi('SetPasswordResponse');

export const BulkOut = z
  .object({
    action: z.string(),
    updated: z.array(z.string()),
    skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
    not_found: z.array(z.string()),
  })
  .openapi('BulkUserActionResult');

export const UserPage = z
  .object({
    count: z.number(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(AdminUserOut),
  })
  .openapi('UserPage');

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JSONWebKeySet');
