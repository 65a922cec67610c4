// Client errors of the platform API use the app's one envelope (src/http/errors.ts):
// `{error, message, issues: [{field, message}]}`, with the field dotted from where it came
// (`body.items.3.tenantId`, `body.data.caseId`, `params.tenantId`).
import type { z } from 'zod';
import { badRequest, type HttpError } from '../http/index.ts';

function fieldPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  return [root, ...path.map(String)].join('.');
}

/** The first problem zod found, as a 400 naming its field. */
export function invalid(root: string, error: z.ZodError): HttpError {
  const issue = error.issues[0];
  // A discriminated union with an unknown discriminator reports no path; the field at fault is `type`.
  const path =
    issue && issue.code === 'invalid_union' && issue.path.length === 0 ? ['type'] : (issue?.path ?? []);
  const field = fieldPath(root, path);
  const message = issue?.message ?? 'is invalid';
  return badRequest(field, message);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(root, result.error);
  return result.data;
}
