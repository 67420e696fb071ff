import { isEmail, normaliseEmail } from '@convene/domain-kit';
import { type Role, roleFrom } from './invitation-rules.ts';

export interface ImportRow {
  email: string;
  full_name: string;
  role: Role;
}

/** One row of an import (email, full_name, role): the invitation it asks for, or what is wrong with it. */
export function parseImportRow(
  record: Record<string, string | undefined>,
): { ok: true; row: ImportRow } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const email = normaliseEmail(record.email ?? '');
  if (!email) errors.email = ['This field is required.'];
  else if (!isEmail(email)) errors.email = ['Enter a valid email address.'];
  const fullName = (record.full_name ?? '').trim();
  if (fullName.length > 200) errors.full_name = ['Ensure this field has no more than 200 characters.'];
  const role = roleFrom(record.role);
  if (!role) errors.role = [`"${record.role}" is not a valid role (attendee, cohost, viewer, contributor, custodian).`];
  if (Object.keys(errors).length > 0 || !role) return { ok: false, errors };
  return { ok: true, row: { email, full_name: fullName, role } };
}
