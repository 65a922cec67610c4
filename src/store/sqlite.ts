import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type TransactionSettings,
} from 'kysely';

export type SqliteSynchronous = 'full' | 'normal';

/**
 * Opens the SQLite file with the settings the service relies on:
 * - WAL: readers never block the writer, and a commit is one append to the log;
 * - synchronous=FULL (default): the WAL is fsynced at every commit, so an acknowledged event survives
 *   power loss, not only `kill -9` (docs/storage.md has the measured cost);
 * - foreign_keys=ON: SQLite leaves them off per connection unless asked;
 * - busy_timeout: a second process on the same file waits for the lock instead of failing.
 */
export function openSqlite(file: string, synchronous: SqliteSynchronous = 'full'): BetterSqlite3.Database {
  // Owner-only: the directory also holds the master key file of the embedded default.
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Kysely's SQLite driver opens deferred transactions: a transaction that reads first and writes later can
 * then fail with SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help. Write
 * transactions here take the write lock up front (`BEGIN IMMEDIATE`), where busy_timeout does wait.
 * Transactions marked read only stay deferred.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const mode = settings?.accessMode === 'read only' ? 'begin deferred' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(mode));
  }
}

/** SQLite DDL is transactional; saying so lets the migrator run all pending migrations in one transaction. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  readonly #database: BetterSqlite3.Database;
  constructor(database: BetterSqlite3.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
