import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { type MigrationResult, Migrator } from 'kysely/migration';
import pg from 'pg';
import { type Config, type DatabaseDialect, dialectOf, sqlitePathOf } from '../config/index.ts';
import { migrations } from './migrations/index.ts';
import { openSqlite, type SqliteSynchronous, StoreSqliteDialect } from './sqlite.ts';
import type { Database } from './types.ts';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseDialect;
  /** The URL or SQLite path the store was opened with (tests hand it to child processes). */
  readonly databaseUrl: string;
  /** The pg pool on Postgres (pg-boss can share it); undefined on SQLite. */
  readonly pgPool: pg.Pool | undefined;
  /**
   * The better-sqlite3 handle on SQLite; undefined on Postgres. Kysely serialises use of this one
   * connection with a mutex: use it only inside `db.connection().execute(…)` or a transaction.
   */
  readonly sqlite: BetterSqlite3.Database | undefined;
  /** Applies pending migrations (all in one transaction); returns the names applied. Idempotent. */
  migrate(): Promise<string[]>;
  /**
   * Runs fn in a write transaction: `BEGIN IMMEDIATE` on SQLite (the write lock is taken up front),
   * an ordinary transaction on Postgres. Commits when fn resolves, rolls back when it throws.
   */
  writeTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl: string;
  poolMax?: number;
  sqliteSynchronous?: SqliteSynchronous;
}

/** int8 (counts, sums) as numbers: every such value in this schema is far below 2^53. */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function createStore(options: Config | StoreOptions): Store {
  const opts: StoreOptions =
    'database' in options
      ? {
          databaseUrl: options.database.url,
          poolMax: options.database.poolMax,
          sqliteSynchronous: options.database.sqliteSynchronous,
        }
      : options;
  if (dialectOf(opts.databaseUrl) === 'postgres') {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 10, types: pgTypes });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return assemble(db, 'postgres', opts.databaseUrl, pool, undefined);
  }
  const file = sqlitePathOf(opts.databaseUrl);
  if (file !== ':memory:' && openSqliteFiles.has(file)) {
    throw new Error(
      `${file} is already open in this process: share its Store. Two connections in one thread deadlock when ` +
        'both hold a write transaction across an await (the second waits on a lock only the first can release).',
    );
  }
  const sqlite = openSqlite(file, opts.sqliteSynchronous ?? 'full');
  if (file !== ':memory:') openSqliteFiles.add(file);
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect(sqlite) });
  const store = assemble(db, 'sqlite', opts.databaseUrl, undefined, sqlite);
  const close = store.close;
  return {
    ...store,
    async close() {
      try {
        await close();
      } finally {
        openSqliteFiles.delete(file);
      }
    },
  };
}

/** SQLite files open in this process: one Store (one connection) per file. */
const openSqliteFiles = new Set<string>();

function assemble(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  databaseUrl: string,
  pgPool: pg.Pool | undefined,
  sqlite: BetterSqlite3.Database | undefined,
): Store {
  let closed = false;
  return {
    db,
    dialect,
    databaseUrl,
    pgPool,
    sqlite,
    migrate: () => migrateToLatest(db, dialect),
    writeTransaction: (fn) => db.transaction().execute(fn),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export class MigrationError extends Error {
  readonly migration: string | undefined;
  constructor(migration: string | undefined, cause: unknown) {
    super(
      `migration ${migration ?? '(setup)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'MigrationError';
    this.migration = migration;
  }
}

async function migrateToLatest(db: Kysely<Database>, dialect: DatabaseDialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: {
      async getMigrations() {
        return Object.fromEntries(
          migrations.map(([name, m]) => [name, { up: (d: Kysely<unknown>) => m.up(d, dialect) }]),
        );
      },
    },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
