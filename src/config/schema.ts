import { z } from 'zod';

/**
 * Every setting psa-bridge reads from its environment, in one schema. Areas that need a new setting add a
 * field here (and a line to `.env.example`); nothing else in the product reads `process.env`.
 */

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: `expected an integer from ${min} to ${max}` })
    .int({ message: `expected an integer from ${min} to ${max}` })
    .min(min, { message: `expected an integer from ${min} to ${max}` })
    .max(max, { message: `expected an integer from ${min} to ${max}` })
    .default(fallback);

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Our ConnectWise `clientId` for development; production sets its own registered GUID. */
export const DEVELOPMENT_CW_CLIENT_ID = '00000000-0000-4000-8000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'expected development, test or production' })
    .default('development'),
  HOST: z.string().trim().min(1, { message: 'expected a host name or address' }).default('127.0.0.1'),
  PORT: int(3000, 0, 65535),
  /** The URL browsers use to reach the console; https here turns on `Secure` and `__Host-` cookies. */
  PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://bridge.example.com' })
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1, { message: 'expected a directory path' }).default('./data'),
  /** `postgres://…` selects Postgres; anything else is a SQLite file path (`sqlite:` / `file:` optional). */
  DATABASE_URL: optionalText,
  DATABASE_POOL_MAX: int(10, 1, 200),
  /** full: every commit fsynced (survives power loss); normal: survives process crashes only. */
  SQLITE_SYNCHRONOUS: z.enum(['full', 'normal'], { message: 'expected full or normal' }).default('full'),
  /** Base64 of 32 random bytes (`psa-bridge keys generate`). */
  PSA_BRIDGE_MASTER_KEY: optionalText,
  /** Comma-separated earlier master keys, kept only until `psa-bridge keys rotate` has run. */
  PSA_BRIDGE_PREVIOUS_MASTER_KEYS: optionalText,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  CW_CLIENT_ID: optionalText.pipe(
    z.string().regex(GUID, { message: 'expected a GUID like 1b2c3d4e-…' }).optional(),
  ),
  /** Hosts allowed for a partner's CW site besides ConnectWise cloud (on-prem servers, the simulator). */
  CW_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== ''),
    ),
  CW_ALLOW_PRIVATE_ADDRESSES: bool(false),
  DEMO: z.enum(['auto', 'true', 'false'], { message: 'expected auto, true or false' }).default('auto'),
  SIMULATOR_PORT: int(8790, 0, 65535),
  SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: int(12, 1, 24 * 30),
  /** Failed logins allowed per account and per client address in 15 minutes. */
  LOGIN_RATE_LIMIT: int(10, 1, 10_000),
  WEBHOOK_TOLERANCE_SECONDS: int(300, 1, 3600),
  INGEST_MAX_BODY_BYTES: int(256 * 1024, 1024, 16 * 1024 * 1024),
  WORKER_CONCURRENCY: int(4, 1, 256),
});

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Rules across fields, checked on the raw environment so they are reported together with the schema's
 * own problems (zod skips refinements once a field fails).
 */
export function crossFieldProblems(env: Record<string, string | undefined>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const masterKey = env['PSA_BRIDGE_MASTER_KEY'];
  if (masterKey !== undefined && decodeMasterKey(masterKey) === undefined) {
    problems.push({
      field: 'PSA_BRIDGE_MASTER_KEY',
      message: 'expected base64 of exactly 32 bytes (psa-bridge keys generate)',
    });
  }
  const previous = (env['PSA_BRIDGE_PREVIOUS_MASTER_KEYS'] ?? '').split(',').filter((k) => k.trim() !== '');
  if (previous.some((k) => decodeMasterKey(k) === undefined)) {
    problems.push({
      field: 'PSA_BRIDGE_PREVIOUS_MASTER_KEYS',
      message: 'expected comma-separated keys, each base64 of exactly 32 bytes',
    });
  }
  if (env['NODE_ENV'] !== 'production') return problems;
  if (masterKey === undefined) {
    problems.push({
      field: 'PSA_BRIDGE_MASTER_KEY',
      message: 'required in production: base64 of 32 random bytes (psa-bridge keys generate)',
    });
  }
  if (env['CW_CLIENT_ID'] === undefined) {
    problems.push({
      field: 'CW_CLIENT_ID',
      message: 'required in production: the clientId GUID registered with ConnectWise',
    });
  }
  if (env['DEMO'] === 'true')
    problems.push({ field: 'DEMO', message: 'demo mode is not allowed in production' });
  return problems;
}

/** A master key is standard or url-safe base64 of exactly 32 bytes; anything else is refused. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

export type Env = z.output<typeof envSchema>;
