import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Every key that can hold a credential, at the depths our log lines carry them. Fastify's request
 * serializer logs no headers or bodies; these paths are the second line for anything a handler logs.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'privateKey',
  'private_key',
  'private_key_ciphertext',
  'secret',
  'webhookSecret',
  'token',
  'apiToken',
  'csrfToken',
  'password',
  'password_hash',
];

export const REDACT_PATHS: string[] = [
  ...SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`, `*.*.*["${k}"]`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // JSON lines: CR, LF and ANSI escapes in values are escaped by JSON encoding (no log injection).
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
