// Turns a CW error answer into one of our typed errors with a message that says what to do.
// Only CW's own `code`/`message`/`errors[]` are kept; arbitrary bodies (HTML pages, proxies) never are.
import {
  AuthenticationError,
  ConflictError,
  type ConnectWiseError,
  type CwFieldError,
  NotConnectWiseError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  RequestRejectedError,
  UnavailableError,
  ValidationError,
} from './errors.ts';
import { permissionForRequest, permissionLabel } from './permissions.ts';

interface CwErrorBody {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function asErrorBody(body: unknown): CwErrorBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as CwErrorBody) : {};
}

/** CW text is shown to admins; cap it and strip control characters so it cannot forge log lines. */
function clean(text: unknown, max = 300): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function fieldErrors(errors: unknown): CwFieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.slice(0, 50).map((e: unknown) => {
    const o = asErrorBody(e) as Record<string, unknown>;
    const out: CwFieldError = {};
    for (const key of ['code', 'message', 'field', 'resource'] as const) {
      const v = clean(o[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  });
}

export interface ErrorResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
  retryAfterMs?: number | undefined;
}

export function errorFromResponse(res: ErrorResponse): ConnectWiseError {
  const { method, path, status } = res;
  const body = asErrorBody(res.body);
  const cwCode = clean(body.code, 80);
  const cwMessage = clean(body.message);
  const ctx = { status, method, path, ...(cwCode === undefined ? {} : { cwCode }) };
  const said = cwMessage ? ` CW said: "${cwMessage}"` : '';

  if (status === 401) {
    return new AuthenticationError(
      'ConnectWise refused the credentials: check the company ID, the public key and the private key ' +
        `(and that the API member is active and the clientId is registered).${said}`,
      ctx,
    );
  }
  if (status === 403) {
    const needed = permissionForRequest(method, path, cwMessage);
    const what = needed
      ? `the API member's security role lacks ${permissionLabel(needed)}`
      : "the API member's security role does not allow this";
    return new PermissionError(
      `ConnectWise refused ${method} ${path}: ${what}. Fix it in System › Security Roles.${said}`,
      { ...ctx, ...(needed ? { permission: permissionLabel(needed) } : {}) },
    );
  }
  if (status === 400) {
    const errors = fieldErrors(body.errors);
    const detail = errors
      .map((e) => [e.field, e.message].filter(Boolean).join(': '))
      .filter(Boolean)
      .join('; ');
    return new ValidationError(
      `ConnectWise rejected ${method} ${path}: ${cwMessage ?? 'invalid request'}${detail ? ` (${detail})` : ''}.`,
      { ...ctx, fieldErrors: errors },
    );
  }
  if (status === 404) {
    return new NotFoundError(`ConnectWise has no ${path}${cwMessage ? ` ("${cwMessage}")` : ''}.`, ctx);
  }
  if (status === 409) {
    return new ConflictError(
      `ConnectWise reports a conflict on ${path}: the record may be in use.${said}`,
      ctx,
    );
  }
  if (status === 429) {
    const wait = res.retryAfterMs;
    return new RateLimitedError(
      `ConnectWise is rate limiting this site${wait ? `; retry after ${Math.ceil(wait / 1000)} s` : ''}.`,
      { ...ctx, retryAfterMs: wait ?? 0 },
    );
  }
  if (status >= 500) {
    return new UnavailableError(
      `ConnectWise answered ${status} for ${method} ${path}; it is unavailable or failing. Try again later.`,
      ctx,
    );
  }
  if (status >= 300 && status < 400) {
    return new NotConnectWiseError(
      `The site answered with a redirect (${status}); redirects are not followed. ` +
        'Use the API host (e.g. api-na.myconnectwise.net).',
      ctx,
    );
  }
  return new RequestRejectedError(`ConnectWise answered ${status} for ${method} ${path}.${said}`, ctx);
}
