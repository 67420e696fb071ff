import { page, z } from '@convene/kit';
import { Messages } from '../domain/messages.ts';

const rating = z
  .number({ error: Messages.rating })
  .int({ error: Messages.rating })
  .min(1, { error: Messages.rating })
  .max(5, { error: Messages.rating })
  .openapi({ example: 5, description: 'A whole number from 1 to 5 (a JSON number, not a string).' });

/** Create and edit bodies; the comment's length limit is configured (COMMENT_MAX_LENGTH). */
export function feedbackBody(commentMax: number) {
  return z
    .strictObject({
      rating,
      comment: z
        .string({ error: 'Not a valid string.' })
        .max(commentMax, { error: Messages.comment(commentMax) })
        .nullable()
        .optional()
        .openapi({ example: 'Great talk, well organised.' }),
    })
    .openapi('FeedbackBody');
}

export { PageQuery } from '@convene/kit';

export const Detail = z.object({ detail: z.string() }).openapi('Detail');

export const FeedbackOut = z
  .object({
    id: z.string(),
    event: z.string().openapi({ description: 'The event id.' }),
    user: z.string().openapi({ description: 'The author’s user id.' }),
    user_name: z.string(),
    rating: z.number().int(),
    comment: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Feedback');

export const FeedbackPage = page(FeedbackOut, 'FeedbackPage');

export const SummaryOut = z
  .object({
    count: z.number().int(),
    average: z.number().nullable().openapi({ description: 'Mean rating to two decimals; null with no feedback.' }),
    distribution: z.object({
      1: z.number().int(),
      2: z.number().int(),
      3: z.number().int(),
      4: z.number().int(),
      5: z.number().int(),
    }),
  })
  .openapi('FeedbackSummary');
