import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { migrateModule, toPositional, type SqlDb } from './sqlDb';
import { sqlEngines } from './sqlDbEngines';

describe('toPositional', () => {
  it('rewrites $n in order of appearance and reorders the parameters', () => {
    expect(toPositional('SELECT $2, $1, $2', ['a', 'b'])).toEqual({ sql: 'SELECT ?, ?, ?', params: ['b', 'a', 'b'] });
  });
  it('refuses a placeholder without a parameter', () => {
    expect(() => toPositional('SELECT $3', [1])).toThrow(/no parameter \$3/);
  });
});

for (const engine of sqlEngines(inject('databaseUrl'))) {
  describe(`SqlDb on ${engine.name}`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ db, dispose } = await engine.open());
      await migrateModule(db, 'test', [
        (d) => `CREATE TABLE things (id ${d === 'postgresql' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'}, name TEXT NOT NULL UNIQUE, at BIGINT NOT NULL)`,
      ]);
    });
    afterEach(() => dispose());

    it('inserts with RETURNING, reads epoch-ms bigints back as numbers, counts changes', async () => {
      const row = await db.get<{ id: number }>('INSERT INTO things (name, at) VALUES ($1, $2) RETURNING id', ['a', 1_780_000_000_123]);
      expect(typeof row?.id).toBe('number');
      expect(await db.get('SELECT name, at FROM things WHERE id = $1', [row!.id])).toEqual({ name: 'a', at: 1_780_000_000_123 });
      expect((await db.run('UPDATE things SET at = $1 WHERE name = $2', [5, 'zz'])).changes).toBe(0);
      expect((await db.run('UPDATE things SET at = $1 WHERE name = $2', [5, 'a'])).changes).toBe(1);
    });

    it('rolls a transaction back when it throws, commits when it resolves', async () => {
      await expect(
        db.tx(async (t) => {
          await t.run('INSERT INTO things (name, at) VALUES ($1, $2)', ['gone', 1]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await db.tx(async (t) => void (await t.run('INSERT INTO things (name, at) VALUES ($1, $2)', ['kept', 2])));
      expect((await db.all<{ name: string }>('SELECT name FROM things ORDER BY name')).map((r) => r.name)).toEqual(['kept']);
    });

    // SQLite has one connection: the port queues a transaction, and a read, behind the one running.
    if (engine.name === 'SQLite') it('runs transactions begun at once one after the other, and a read begun meanwhile after them', async () => {
      const insert = (name: string) =>
        db.tx(async (t) => {
          await t.run('INSERT INTO things (name, at) VALUES ($1, $2)', [name, 0]);
          await new Promise((r) => setImmediate(r));
          const n = await t.get<{ n: number }>('SELECT COUNT(*) AS n FROM things');
          await t.run('UPDATE things SET at = $1 WHERE name = $2', [n!.n, name]);
        });
      const [, , seen] = await Promise.all([insert('a'), insert('b'), db.all('SELECT name, at FROM things ORDER BY name')]);
      expect(seen).toEqual([{ name: 'a', at: 1 }, { name: 'b', at: 2 }]);
    });

    // Two instances of a cluster starting at once (on PostgreSQL, two pooled connections racing).
    it('applies a migration once when two run it at the same moment', async () => {
      const steps = [(d: string) => `CREATE TABLE raced (id ${d === 'postgresql' ? 'BIGINT' : 'INTEGER'})`, () => 'CREATE INDEX raced_id ON raced (id)'];
      await Promise.all([migrateModule(db, 'race', steps), migrateModule(db, 'race', steps), migrateModule(db, 'race', steps)]);
      expect(await db.all('SELECT version FROM schema_migrations WHERE module = $1 ORDER BY version', ['race'])).toEqual([{ version: 1 }, { version: 2 }]);
    });

    it('applies a migration once: a second run of the same steps changes nothing', async () => {
      await migrateModule(db, 'test', [(d) => `CREATE TABLE things (id ${d === 'postgresql' ? 'BIGINT' : 'INTEGER'})`]);
      expect(await db.all('SELECT version FROM schema_migrations WHERE module = $1', ['test'])).toHaveLength(1);
    });
  });
}
