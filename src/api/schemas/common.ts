import { z } from 'zod';

/** The body of every error response (see plugins/error-handler.ts). */
export const errorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
