import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, freshStore, type TestStore } from '../../test/support/databases.ts';
import { createStore, newId, now } from './index.ts';

const STORE_MODULE = fileURLToPath(new URL('./index.ts', import.meta.url));

/** A second process writing to the same SQLite file: read-then-write transactions, like the worker's. */
function startChildWriter(
  databaseUrl: string,
  transactions: number,
): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { createStore, newId, now } from ${JSON.stringify(STORE_MODULE)};
    const store = createStore({ databaseUrl: ${JSON.stringify(databaseUrl)} });
    for (let i = 0; i < ${transactions}; i++) {
      await store.writeTransaction(async (trx) => {
        await trx.selectFrom('partners').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
        await trx.insertInto('partners').values({ id: newId(), name: 'child', created_at: now(), updated_at: now() }).execute();
      });
    }
    await store.close();
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('SQLite under concurrent writers', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await freshStore('sqlite');
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('20 in-process writers and a second process: every transaction commits, no SQLITE_BUSY reaches a caller', async () => {
    const child = startChildWriter(store.databaseUrl, 300);
    const errors: unknown[] = [];
    const writer = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        try {
          await store.writeTransaction(async (trx) => {
            await trx
              .selectFrom('partners')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst();
            await trx
              .insertInto('partners')
              .values({ id: newId(), name: `parent-${w}`, created_at: now(), updated_at: now() })
              .execute();
          });
        } catch (error) {
          errors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, w) => writer(w)));
    const { code, stderr } = await child;
    expect(errors).toEqual([]);
    expect(stderr).not.toMatch(/SQLITE_BUSY/);
    expect(code).toBe(0);
    const count = await store.db
      .selectFrom('partners')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(20 * 25 + 300);
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
    expect(check.rows[0]?.integrity_check).toBe('ok');
  });
});

describe('migrations started at once by several processes', () => {
  it('on SQLite: each migration is applied exactly once', async () => {
    const database = await freshDatabase('sqlite');
    try {
      const script = `
        import { createStore } from ${JSON.stringify(STORE_MODULE)};
        const store = createStore({ databaseUrl: ${JSON.stringify(database.databaseUrl)} });
        console.log(JSON.stringify(await store.migrate()));
        await store.close();`;
      const outputs = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<{ code: number | null; out: string }>((resolve) => {
              const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
              let out = '';
              child.stdout.on('data', (chunk) => {
                out += chunk;
              });
              child.stderr.on('data', (chunk) => {
                out += chunk;
              });
              child.on('exit', (code) => resolve({ code, out }));
            }),
        ),
      );
      expect(outputs.map((o) => o.code)).toEqual([0, 0, 0, 0]);
      const applied = outputs.flatMap((o) => JSON.parse(o.out.trim().split('\n').at(-1) ?? '[]') as string[]);
      expect(applied.filter((name) => name === '0001_initial')).toHaveLength(1);
    } finally {
      await database.drop();
    }
  });
});

describe('one Store per SQLite file per process', () => {
  it('refuses a second Store on an open file, and allows it again after close', async () => {
    const first = await freshStore('sqlite');
    try {
      expect(() => createStore({ databaseUrl: first.databaseUrl })).toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    const again = createStore({ databaseUrl: first.databaseUrl });
    await again.close();
    await first.dispose();
  });
});
