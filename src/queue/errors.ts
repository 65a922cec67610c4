import type { JobError } from './types.ts';

/**
 * Thrown by a handler when trying again cannot help (bad payload, CW 400 validation, a secret that fails
 * to decrypt): the job is dead-lettered after this attempt instead of burning its retries.
 */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** A queue name that was not declared when the queue was created (a programming error, or bad input). */
export class UnknownQueueError extends TypeError {
  readonly code = 'UNKNOWN_QUEUE';
  constructor(name: string) {
    super(`unknown queue "${name}": declare it in the queue definitions`);
    this.name = 'UnknownQueueError';
  }
}

/**
 * Whether a failed attempt may be retried. Errors say so with a `retryable` flag (NonRetryableError,
 * ConnectWiseError and its subclasses); an error without one is retryable, so an unexpected crash gets
 * its retries before it reaches the dead letters.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'retryable' in error) {
    return (error as { retryable: unknown }).retryable !== false;
  }
  return true;
}

/** What is kept of a failure: name, message and code, never a stack or the job's data. */
export function toJobError(error: unknown): JobError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message.slice(0, 2000),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(error).slice(0, 2000) };
}

/** Reads back an error stored by either adapter (pg-boss keeps whatever `output` it was given). */
export function fromStoredError(value: unknown): JobError | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    try {
      return fromStoredError(JSON.parse(value));
    } catch {
      return { name: 'Error', message: value };
    }
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const message = typeof v['message'] === 'string' ? v['message'] : JSON.stringify(value);
    return {
      name: typeof v['name'] === 'string' ? v['name'] : 'Error',
      message,
      ...(typeof v['code'] === 'string' ? { code: v['code'] } : {}),
    };
  }
  return { name: 'Error', message: String(value) };
}
