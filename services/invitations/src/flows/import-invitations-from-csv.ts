import type { Readable } from 'node:stream';
import type { Causes } from '@convene/domain-kit';
import { badRequest } from '@convene/kit';
import { parse } from 'csv-parse';
import { type ImportRow, parseImportRow } from '../domain/csv-row.ts';
import { eventClosed } from '../errors.ts';
import type { Actor, FlowContext } from './context.ts';
import { createInvitations, type SendOptions, type SkipReason } from './create-invitations.ts';
import { findManagedEvent } from './find-managed-event.ts';

/** At most this many row errors and skips are listed (all are counted): the answer stays small too. */
const LISTED = 1000;

export interface ImportReport {
  rows: number;
  created: number;
  skipped: number;
  failed: number;
  errors: Array<{ row: number; errors: Record<string, string[]> }>;
  skips: Array<{ row: number; email: string; reason: SkipReason; detail: string }>;
  truncated: boolean;
}

/**
 * POST /api/events/{id}/invitations/import: CSV (email, full_name, role) streamed through the
 * parser row by row and written in batches, so memory stays bounded by the batch size whatever
 * the file's length. Every row is validated; bad rows are reported by line number (header = 1)
 * and the good ones created, each with its token and invitation.sent.
 */
export async function importInvitationsFromCsv(
  ctx: FlowContext,
  input: {
    eventId: string;
    actor: Actor;
    csv: Readable;
    /** Called after every row read and every batch written, with the report so far (a progress bar). */
    onProgress?: (report: Readonly<ImportReport>) => void;
  } & SendOptions,
  causes: Causes = {},
): Promise<ImportReport> {
  const event = await findManagedEvent(ctx, input.eventId, input.actor);
  if (!event.is_active) throw eventClosed();
  const report: ImportReport = { rows: 0, created: 0, skipped: 0, failed: 0, errors: [], skips: [], truncated: false };
  const parser = input.csv.pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 4096,
    }),
  );
  let batch: Array<{ line: number; row: ImportRow }> = [];
  let headerChecked = false;

  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const targets = current.map(({ row }) => ({ email: row.email, full_name: row.full_name, role: row.role }));
    const result = await createInvitations(ctx, event, input.actor, targets, input, causes);
    report.created += result.created.length;
    report.skipped += result.skipped.length;
    const lineOf = new Map<string, number>();
    for (const { line, row } of current) if (!lineOf.has(row.email)) lineOf.set(row.email, line);
    for (const skip of result.skipped) {
      if (report.skips.length >= LISTED) {
        report.truncated = true;
        break;
      }
      report.skips.push({
        row: lineOf.get(skip.email ?? '') ?? 0,
        email: skip.email ?? '',
        reason: skip.reason,
        detail: skip.detail,
      });
    }
    input.onProgress?.(report);
  };

  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      if (!headerChecked) {
        headerChecked = true;
        if (!('email' in record))
          throw badRequest(
            'The CSV needs a header row with an "email" column (and optionally full_name, role).',
            'CSV_HEADER',
          );
      }
      report.rows++;
      const line = report.rows + 1;
      if (report.rows > ctx.policy.importMaxRows) {
        report.failed++;
        if (report.errors.length < LISTED)
          report.errors.push({ row: line, errors: { row: [`At most ${ctx.policy.importMaxRows} rows per import.`] } });
        else report.truncated = true;
        continue;
      }
      const parsed = parseImportRow(record);
      if (!parsed.ok) {
        report.failed++;
        if (report.errors.length < LISTED) report.errors.push({ row: line, errors: parsed.errors });
        else report.truncated = true;
        input.onProgress?.(report);
        continue;
      }
      batch.push({ line, row: parsed.row });
      if (batch.length >= ctx.policy.importBatchSize) await flush();
      else input.onProgress?.(report);
    }
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('CSV_')) {
      const message = (err as Error).message;
      throw badRequest(`The CSV could not be read: ${message}`, 'CSV_INVALID');
    }
    throw err;
  }
  await flush();
  return report;
}
