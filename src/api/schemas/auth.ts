import { z } from 'zod';
import { ROLES } from '../../auth/index.js';

export const roleSchema = z.enum(ROLES);

/** A console user as the API shows it (never the password hash). */
export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

/** Who the request acts as, and what the console may show them. */
export const principalSchema = z.object({
  id: z.number().int(),
  email: z.string().nullable(),
  label: z.string(),
  role: roleSchema,
  via: z.enum(['session', 'token']),
});

export const permissionsSchema = z.object({
  downloadRecordings: z.boolean(),
  deleteRecordings: z.boolean(),
  viewAudit: z.boolean(),
  manageUsers: z.boolean(),
  seePhoneNumbers: z.boolean(),
});

export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters');

export const emailSchema = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
