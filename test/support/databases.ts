import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createStore, type Store } from '../../src/store/index.ts';
import { hasPostgres, POSTGRES_URL } from './services.ts';

/**
 * Fresh, migrated databases for tests: a SQLite file in its own temp directory, or a Postgres database
 * created for the occasion (CREATE DATABASE psa_test_<random> from the maintenance db) and dropped after.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface FreshDatabase {
  dialect: Dialect;
  /** Hand this to createStore or to a child process. */
  databaseUrl: string;
  /** Removes the database (SQLite directory or Postgres database). */
  drop(): Promise<void>;
}

export interface TestStore extends Store {
  /** Closes the store and drops its database. */
  dispose(): Promise<void>;
}

/**
 * Postgres reachable? Resolved once per test file with a top-level await, because vitest collects describe
 * blocks synchronously. PG suites skip locally (printed reason) and fail in CI without it.
 */
export const postgresReady: boolean = await hasPostgres();

function adminUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** An empty database (not migrated). */
export async function freshDatabase(dialect: Dialect): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-test-'));
    return {
      dialect,
      databaseUrl: path.join(dir, 'psa-bridge.db'),
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `psa_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return {
    dialect,
    databaseUrl: adminUrl(name),
    async drop() {
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A fresh database with every migration applied, opened as a Store. */
export async function freshStore(dialect: Dialect): Promise<TestStore> {
  const database = await freshDatabase(dialect);
  const store = createStore({ databaseUrl: database.databaseUrl, poolMax: 20 });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    await database.drop();
    throw error;
  }
  return Object.assign(store, {
    async dispose() {
      await store.close();
      await database.drop();
    },
  });
}

export interface DialectContext {
  dialect: Dialect;
  /** The suite's store; valid inside tests and hooks (created in beforeAll). */
  store(): TestStore;
}

/**
 * Declares the same suite for SQLite and for Postgres, each with one fresh migrated store for the suite.
 * The Postgres copy is skipped (with a printed reason) when Postgres is unreachable, and fails in CI.
 *
 *   describeStores('partners repository', ({ store }) => { it('…', async () => { store().db … }) });
 */
export function describeStores(name: string, body: (ctx: DialectContext) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    describe.runIf(dialect === 'sqlite' || postgresReady)(`${name} [${dialect}]`, () => {
      let current: TestStore | undefined;
      beforeAll(async () => {
        current = await freshStore(dialect);
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body({
        dialect,
        store: () => {
          if (!current) throw new Error('store used outside a test or hook');
          return current;
        },
      });
    });
  }
}
