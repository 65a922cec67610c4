import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The one error shape every console and platform route answers with:
 * `{ error: "<code>", message: "<sentence>", issues?: [{ field, message }] }`.
 * `field` is dotted from where the value came (`body.site`, `body.items.3.sku`, `query.limit`), the same
 * in the console and the platform API.
 */
export interface ErrorBody {
  error: string;
  message: string;
  issues?: Array<{ field: string; message: string }>;
}

/** Throw from a handler for a refusal the client caused; the error handler turns it into `status`. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly issues: ErrorBody['issues'];
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { issues?: ErrorBody['issues']; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.issues = extra.issues;
    this.headers = extra.headers ?? {};
  }
}

export const badRequest = (field: string, message: string) =>
  new HttpError(400, 'invalid_request', `${field}: ${message}`, { issues: [{ field, message }] });
export const unauthorized = (message = 'sign in first') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);

interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

const CONTEXT_NAMES: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
};

/** Ajv and zod both report `{instancePath, message, params}`; name the field the client must fix. */
export function validationIssues(
  context: string | undefined,
  items: ValidationItem[],
): NonNullable<ErrorBody['issues']> {
  const root = CONTEXT_NAMES[context ?? 'body'] ?? context ?? 'body';
  return items.flatMap((item) => {
    // zod's unrecognized_keys names the extra keys in params.keys (one issue for all of them).
    const keys = item.params?.['keys'];
    if (item.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return keys.map((k) => ({
        field: pathOf(root, [...splitPointer(item.instancePath), String(k)]),
        message: 'is not an accepted field',
      }));
    }
    const segments = splitPointer(item.instancePath);
    const missing = item.params?.['missingProperty'];
    const extra = item.params?.['additionalProperty'];
    if (typeof missing === 'string') segments.push(missing);
    if (typeof extra === 'string') segments.push(extra);
    let message = item.message ?? 'is invalid';
    if (typeof missing === 'string') message = 'is required';
    if (typeof extra === 'string') message = 'is not an accepted field';
    return [{ field: pathOf(root, segments), message }];
  });
}

function splitPointer(pointer: string | undefined): string[] {
  return (pointer ?? '').split('/').filter((s) => s !== '');
}

function pathOf(root: string, segments: string[]): string {
  return [root, ...segments].join('.');
}

function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  // Error bodies never go through a route's response schema.
  return reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/**
 * Client mistakes become 4xx with the field named; anything unexpected is a logged 500 whose body says
 * nothing about internals.
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof HttpError) {
    for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
    const body: ErrorBody = { error: error.code, message: error.message };
    if (error.issues) body.issues = error.issues;
    return send(reply, error.statusCode, body);
  }
  if (Array.isArray(error.validation)) {
    const issues = validationIssues(error.validationContext, error.validation as ValidationItem[]);
    const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return send(reply, 400, { error: 'invalid_request', message, issues });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, too large, wrong content type, …
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 429
            ? 'too_many_requests'
            : 'invalid_request';
    // Never echo a parser's message: it can quote the body, and the body can hold a secret.
    if (
      error instanceof SyntaxError ||
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      /JSON/.test(error.message)
    ) {
      return send(reply, 400, {
        error: 'invalid_request',
        message: 'body: expected a valid JSON document',
        issues: [{ field: 'body', message: 'expected a valid JSON document' }],
      });
    }
    return send(reply, status, { error: code, message: safeClientMessage(error) });
  }
  request.log.error({ err: error }, 'request failed');
  return send(reply, 500, {
    error: 'internal',
    message: 'something went wrong on our side; it has been logged',
  });
}

/** Fastify's own 4xx messages are fixed sentences (size limits, content types); keep them short. */
function safeClientMessage(error: FastifyError): string {
  return error.code?.startsWith('FST_') ? error.message.slice(0, 200) : 'the request was refused';
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, 404, {
    error: 'not_found',
    message: `no route ${request.method} ${request.url.split('?')[0]}`,
  });
}
