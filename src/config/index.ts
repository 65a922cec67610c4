import path from 'node:path';
import type { FieldProblem } from './schema.ts';
import {
  crossFieldProblems,
  DEVELOPMENT_CW_CLIENT_ID,
  decodeMasterKey,
  type Env,
  envSchema,
} from './schema.ts';

export { DEVELOPMENT_CW_CLIENT_ID, decodeMasterKey, type Env, envSchema } from './schema.ts';

export type DatabaseDialect = 'sqlite' | 'postgres';

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  /** Where browsers reach the console; defaults to http://HOST:PORT. */
  publicUrl: string;
  /** True when publicUrl is https: cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /** Absolute path of the data directory (SQLite file, master key file). */
  dataDir: string;
  database: {
    url: string;
    dialect: DatabaseDialect;
    /** Absolute SQLite file path (or `:memory:`) when dialect is sqlite. */
    sqlitePath: string | undefined;
    poolMax: number;
    sqliteSynchronous: Env['SQLITE_SYNCHRONOUS'];
  };
  secrets: {
    /** From PSA_BRIDGE_MASTER_KEY; undefined means the key file in dataDir is used (created at first start). */
    masterKey: Buffer | undefined;
    previousMasterKeys: Buffer[];
    keyFile: string;
  };
  logLevel: Env['LOG_LEVEL'];
  cw: { clientId: string; allowedHosts: string[]; allowPrivateAddresses: boolean };
  demo: Env['DEMO'];
  simulatorPort: number;
  session: { idleMinutes: number; absoluteHours: number };
  loginRateLimit: number;
  webhook: { toleranceSeconds: number };
  ingest: { maxBodyBytes: number };
  worker: { concurrency: number };
  /** Every parsed variable, for settings added to the schema before they get a named field above. */
  env: Env;
}

export type ConfigProblem = FieldProblem;

/** Everything wrong with the environment at once, one line per variable. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment once, at start. Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== '',
    ),
  );
  const parsed = envSchema.safeParse(present);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        field: issue.path.join('.') || '(environment)',
        message: issue.message,
      }));
  problems.push(...crossFieldProblems(present).filter((p) => !problems.some((q) => q.field === p.field)));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? path.join(dataDir, 'psa-bridge.db');
  const dialect = dialectOf(databaseUrl);
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    dataDir,
    database: {
      url: databaseUrl,
      dialect,
      sqlitePath: dialect === 'sqlite' ? sqlitePathOf(databaseUrl) : undefined,
      poolMax: e.DATABASE_POOL_MAX,
      sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    },
    secrets: {
      masterKey: e.PSA_BRIDGE_MASTER_KEY ? decodeMasterKey(e.PSA_BRIDGE_MASTER_KEY) : undefined,
      previousMasterKeys: (e.PSA_BRIDGE_PREVIOUS_MASTER_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== '')
        .map((k) => decodeMasterKey(k))
        .filter((k): k is Buffer => k !== undefined),
      keyFile: path.join(dataDir, 'master.key'),
    },
    logLevel: e.LOG_LEVEL,
    cw: {
      clientId: e.CW_CLIENT_ID ?? DEVELOPMENT_CW_CLIENT_ID,
      allowedHosts: e.CW_ALLOWED_HOSTS,
      allowPrivateAddresses: e.CW_ALLOW_PRIVATE_ADDRESSES,
    },
    demo: e.DEMO,
    simulatorPort: e.SIMULATOR_PORT,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    webhook: { toleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS },
    ingest: { maxBodyBytes: e.INGEST_MAX_BODY_BYTES },
    worker: { concurrency: e.WORKER_CONCURRENCY },
    env: e,
  };
}

/** A postgres:// or postgresql:// URL is Postgres; anything else names a SQLite file. */
export function dialectOf(databaseUrl: string): DatabaseDialect {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgres' : 'sqlite';
}

/** `sqlite:x.db`, `file:x.db`, `x.db` and `:memory:` all name a SQLite database. */
export function sqlitePathOf(databaseUrl: string): string {
  const bare = databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
  return bare === ':memory:' ? bare : path.resolve(bare);
}
