// Every failure the client reports is one of these classes, each with a stable `code` that callers
// (jobs, the wizard, the overview page) can branch on, and a message that tells a person what to do.
// Messages never contain the Authorization header, keys or response bodies beyond CW's own error text.

export interface CwFieldError {
  code?: string;
  message?: string;
  field?: string;
  resource?: string;
}

export interface CwErrorContext {
  status?: number;
  method?: string;
  /** Path below the API base, without the query string. */
  path?: string;
  cwCode?: string;
}

export class ConnectWiseError extends Error {
  readonly code: string = 'CW_ERROR';
  /** Whether trying the same request again later could succeed. */
  readonly retryable: boolean = false;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** CW's own error code from the JSON body (`InvalidObject`, `NotFound`, …), when it sent one. */
  readonly cwCode: string | undefined;

  constructor(message: string, context: CwErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = context.status;
    this.method = context.method;
    this.path = context.path;
    this.cwCode = context.cwCode;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, status: this.status, path: this.path };
  }
}

export class AuthenticationError extends ConnectWiseError {
  override readonly code = 'CW_AUTH';
}

export class PermissionError extends ConnectWiseError {
  override readonly code = 'CW_PERMISSION';
  /** The security-role setting that refused the request, e.g. "Finance › Agreements: Add", when known. */
  readonly permission: string | undefined;
  constructor(message: string, context: CwErrorContext & { permission?: string }) {
    super(message, context);
    this.permission = context.permission;
  }
}

export class ValidationError extends ConnectWiseError {
  override readonly code = 'CW_VALIDATION';
  /** CW's field errors, kept as CW sent them. */
  readonly fieldErrors: CwFieldError[];
  constructor(message: string, context: CwErrorContext & { fieldErrors?: CwFieldError[] }) {
    super(message, context);
    this.fieldErrors = context.fieldErrors ?? [];
  }
}

export class NotFoundError extends ConnectWiseError {
  override readonly code = 'CW_NOT_FOUND';
}

export class ConflictError extends ConnectWiseError {
  override readonly code = 'CW_CONFLICT';
}

/** Any other 4xx CW answers that has no class of its own (405, 415, …): a bug on our side. */
export class RequestRejectedError extends ConnectWiseError {
  override readonly code = 'CW_REQUEST_REJECTED';
}

export class RateLimitedError extends ConnectWiseError {
  override readonly code = 'CW_RATE_LIMITED';
  override readonly retryable = true;
  /** How long CW asked us to wait, in milliseconds (0 when it did not say). */
  readonly retryAfterMs: number;
  constructor(message: string, context: CwErrorContext & { retryAfterMs: number }) {
    super(message, context);
    this.retryAfterMs = context.retryAfterMs;
  }
}

export class UnavailableError extends ConnectWiseError {
  override readonly code = 'CW_UNAVAILABLE';
  override readonly retryable = true;
}

export class NetworkError extends ConnectWiseError {
  override readonly code = 'CW_NETWORK';
  override readonly retryable = true;
  /** The socket-level code (ECONNRESET, ECONNREFUSED, …). */
  readonly errno: string | undefined;
  constructor(message: string, context: CwErrorContext & { errno?: string }, options?: { cause?: unknown }) {
    super(message, context, options);
    this.errno = context.errno;
  }
}

export class TimeoutError extends ConnectWiseError {
  override readonly code = 'CW_TIMEOUT';
  override readonly retryable = true;
}

export class TlsError extends ConnectWiseError {
  override readonly code = 'CW_TLS';
}

export class CircuitOpenError extends ConnectWiseError {
  override readonly code = 'CW_CIRCUIT_OPEN';
  override readonly retryable = true;
  readonly retryInMs: number;
  constructor(message: string, context: CwErrorContext & { retryInMs: number }) {
    super(message, context);
    this.retryInMs = context.retryInMs;
  }
}

/** The site the operator typed cannot be used: malformed, wrong scheme, or not an allowed host. */
export class SiteNotAllowedError extends ConnectWiseError {
  override readonly code = 'CW_SITE_NOT_ALLOWED';
}

/** The host answered, but not like ConnectWise does (HTML, a redirect, JSON of another shape). */
export class NotConnectWiseError extends ConnectWiseError {
  override readonly code = 'CW_NOT_CONNECTWISE';
}

export class UnknownCompanyError extends ConnectWiseError {
  override readonly code = 'CW_UNKNOWN_COMPANY';
}

/** CW answered 2xx with a body our schema does not accept; names the first offending field. */
export class UnexpectedResponseError extends ConnectWiseError {
  override readonly code = 'CW_UNEXPECTED_RESPONSE';
}

/** Our caller passed something CW would reject (caught before sending); names the field. */
export class InvalidInputError extends ConnectWiseError {
  override readonly code = 'CW_INVALID_INPUT';
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}
