import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, ROLES } from '../../auth/index.ts';

/** Shared request and response shapes of the console API (they become the OpenAPI document). */

export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

export const loginBody = z
  .object({
    email: z.email({ message: 'expected an e-mail address' }).max(254),
    password: z
      .string({ message: 'expected a string' })
      .min(1, { message: 'expected a password' })
      .max(MAX_PASSWORD_LENGTH, { message: `expected at most ${MAX_PASSWORD_LENGTH} characters` }),
    /** Only needed when the same e-mail and password open accounts at two partners. */
    partnerId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const sessionSchema = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      role: z.enum(ROLES),
      tenantId: z.string().nullable(),
    }),
    partner: z.object({ id: z.string(), name: z.string() }),
    role: z.enum(ROLES),
    /** Send back as the `x-csrf-token` header on every POST, PUT, PATCH and DELETE. */
    csrfToken: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Session' });
