/**
 * One small SQL port over the two engines the app runs on: SQLite (better-sqlite3, the default, nothing to
 * install) and PostgreSQL (`pg`, when DATABASE_URL is set). The stores that are plain tables (users, sessions,
 * display tokens, device credentials, the audit log) are written once against it.
 *
 * SQL is written in PostgreSQL's placeholder style (`$1`, `$2`, …); the SQLite engine rewrites it to
 * positional `?` and reorders the parameters. Timestamps are epoch ms (BIGINT in PostgreSQL, read back as
 * numbers). Booleans are stored as 0/1 integers in both. Keep SQL to what both dialects share; where DDL
 * differs, branch on `db.dialect`.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { SCHEMA_NAME } from './readings/pgSchema';

export type SqlDialect = 'sqlite' | 'postgresql';

export interface SqlRunResult {
  changes: number;
}

export interface SqlDb {
  readonly dialect: SqlDialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<SqlRunResult>;
  /** Runs statements separated by `;` (DDL); no parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Other calls on
   * this db wait until it ends (SQLite has one connection). Do not await anything slow inside `fn`.
   */
  tx<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `$1 … $n` → `?` in order of appearance, with the parameters reordered to match. */
export function toPositional(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const out: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`sql: no parameter $${n} (${params.length} given)`);
    out.push(params[i]);
    return '?';
  });
  return { sql: text, params: out };
}

/** SQLite wants numbers, strings, bigints, buffers or null; booleans become 0/1. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly stmts = new Map<string, Database.Statement>();
  /** Set while a transaction runs: calls from outside it wait. */
  private txLock: Promise<void> | null = null;

  constructor(private readonly db: Database.Database) {}

  private prepared(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // A bound on the statement cache: the stores use a fixed set of statements.
      if (this.stmts.size >= 500) this.stmts.clear();
      this.stmts.set(sql, s);
    }
    return s;
  }

  private exe(sql: string, params: readonly unknown[]): { rows: unknown[]; changes: number } {
    const p = toPositional(sql, params);
    const s = this.prepared(p.sql);
    const args = p.params.map(sqliteValue);
    if (s.reader) return { rows: s.all(...args), changes: 0 };
    return { rows: [], changes: s.run(...args).changes };
  }

  // Every caller waits inline (`while (this.txLock) await this.txLock`): the last check and what follows it run
  // in one continuation. Awaiting a helper that waits would return a turn later, when another caller may have
  // begun a transaction in between (two began at once: "cannot start a transaction within a transaction").

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    while (this.txLock) await this.txLock;
    return this.exe(sql, params).rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<SqlRunResult> {
    while (this.txLock) await this.txLock;
    return { changes: this.exe(sql, params).changes };
  }

  async exec(sql: string): Promise<void> {
    while (this.txLock) await this.txLock;
    this.db.exec(sql);
  }

  async tx<T>(fn: (db: SqlDb) => Promise<T>): Promise<T> {
    while (this.txLock) await this.txLock;
    let release!: () => void;
    this.txLock = new Promise<void>((r) => (release = r));
    const inner: SqlDb = {
      dialect: 'sqlite',
      all: async <R>(sql: string, params: readonly unknown[] = []) => this.exe(sql, params).rows as R[],
      get: async <R>(sql: string, params: readonly unknown[] = []) => this.exe(sql, params).rows[0] as R | undefined,
      run: async (sql, params = []) => ({ changes: this.exe(sql, params).changes }),
      exec: async (sql) => void this.db.exec(sql),
      tx: (f) => f(inner),
      close: async () => undefined,
    };
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const r = await fn(inner);
      this.db.exec('COMMIT');
      return r;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.txLock = null;
      release();
    }
  }

  async close(): Promise<void> {
    while (this.txLock) await this.txLock;
    if (this.db.open) this.db.close();
  }
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

class PgDb implements SqlDb {
  readonly dialect = 'postgresql' as const;
  constructor(
    private readonly q: Queryable,
    private readonly pool: pg.Pool | null,
  ) {}

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.q.query(sql, params as unknown[])).rows as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<SqlRunResult> {
    return { changes: (await this.q.query(sql, params as unknown[])).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.q.query(sql);
  }

  async tx<T>(fn: (db: SqlDb) => Promise<T>): Promise<T> {
    if (!this.pool) return fn(this);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const r = await fn(new PgDb(client, null));
      await client.query('COMMIT');
      return r;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

export function openSqliteDb(file: string): SqlDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return new SqliteDb(db);
}

const INT8_OID = 20;

/** A pool on one schema (created when missing); bigints come back as numbers (epoch ms fit). */
export async function openPgDb(connectionString: string, schema: string, max = 4): Promise<SqlDb> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`sql: bad schema name ${JSON.stringify(schema)}`);
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  const pool = new pg.Pool({ connectionString, max, types, options: `-c search_path=${schema}` });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PgDb(pool, pool);
}

export interface IdentityDbChoice {
  province: string;
  dataDir?: string;
  databaseUrl?: string;
}

/** The schema of a province's identity tables (users, sessions, tokens, credentials, audit) in PostgreSQL. */
export function identitySchema(province: string): string {
  return `ioc_identity_${province.replace(/[^a-z0-9]/g, '_')}`;
}

/**
 * The app's identity database: PostgreSQL when a database URL is configured, otherwise SQLite in DATA_DIR
 * (`identity-<province>.sqlite`; in memory without one). A rehearsal shares it: the same people log in.
 */
export async function openIdentityDb(c: IdentityDbChoice): Promise<SqlDb> {
  if (c.databaseUrl) return openPgDb(c.databaseUrl, identitySchema(c.province));
  return openSqliteDb(c.dataDir ? `${c.dataDir}/identity-${c.province}.sqlite` : ':memory:');
}

/**
 * Applies a module's migrations once each, in order, recorded in `schema_migrations` under the module's
 * name. Each migration is a function of the dialect returning DDL.
 */
export async function migrateModule(db: SqlDb, module: string, steps: readonly ((d: SqlDialect) => string)[]): Promise<void> {
  await db.tx(async (t) => {
    // Instances of a cluster may start at once: on PostgreSQL one migrates at a time (a transaction-level
    // advisory lock, released at commit), the others then find the versions recorded. Creating the table inside
    // the lock also avoids CREATE TABLE IF NOT EXISTS racing itself (a unique violation in pg_type).
    if (db.dialect === 'postgresql') await t.exec("SELECT pg_advisory_xact_lock(hashtext('ioc-schema-migrations'))");
    await t.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (module, version))');
    const done = new Set((await t.all<{ version: number }>('SELECT version FROM schema_migrations WHERE module = $1', [module])).map((r) => Number(r.version)));
    for (let v = 1; v <= steps.length; v++) {
      if (done.has(v)) continue;
      await t.exec(steps[v - 1]!(db.dialect));
      await t.run('INSERT INTO schema_migrations (module, version) VALUES ($1, $2)', [module, v]);
    }
  });
}
