/** CW's error envelope (`ErrorResponseMessage` / `ValidationError` in the spec). */
export interface ValidationError {
  code: string;
  message: string;
  resource: string;
  field: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  errors?: ValidationError[];
}

/** Thrown anywhere in a handler; the server turns it into the HTTP answer. */
export class CwError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: ErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export const notFound = (what: string, id: number | string) =>
  new CwError(404, { code: 'NotFound', message: `${what} ${id} not found` });

export const noRoute = (path: string) =>
  new CwError(404, {
    code: 'NotFound',
    message: `No HTTP resource was found that matches the request URI '${path}'.`,
  });

export const unauthorized = (message: string) => new CwError(401, { code: 'Unauthorized', message });

export const forbidden = (what: string) =>
  new CwError(403, {
    code: 'Forbidden',
    message: `You do not have permission to perform this action. Your security role needs ${what}.`,
  });

export const badRequest = (message: string, code = 'InvalidObject') => new CwError(400, { code, message });

/** Collects field errors for one resource and throws them as CW's 400 `InvalidObject`. */
export class Problems {
  readonly resource: string;
  readonly errors: ValidationError[] = [];

  constructor(resource: string) {
    this.resource = resource;
  }

  add(field: string, message: string, code = 'InvalidField'): void {
    this.errors.push({ code, message, resource: this.resource, field });
  }

  missing(field: string, message = `${field} is required.`): void {
    this.add(field, message, 'MissingRequiredField');
  }

  throwIfAny(): void {
    if (this.errors.length === 0) return;
    throw new CwError(400, {
      code: 'InvalidObject',
      message: `${this.resource} object is invalid`,
      errors: this.errors,
    });
  }
}
