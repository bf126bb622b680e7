/**
 * People who log in: argon2id password hashes (@node-rs/argon2), a role, an optional commune scope. Disabled
 * users stay (the audit log names them) but cannot log in. `version` grows on every change of role, scope or
 * state, so a session learns its user changed.
 */
import { hash, verify } from '@node-rs/argon2';
import type { PersonRole, UserSummary } from '../../shared/auth';
import { migrateModule, type SqlDb } from '../store/sqlDb';

export interface User extends UserSummary {
  id: number;
  version: number;
}

interface Row {
  id: number;
  username: string;
  display_name: string;
  role: PersonRole;
  communes: string | null;
  disabled: number;
  created_at: number;
  last_login_at: number | null;
  version: number;
}

const MIGRATIONS = [
  (d: 'sqlite' | 'postgresql') => `CREATE TABLE users (
      id ${d === 'postgresql' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
      username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL, communes TEXT,
      password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,
      last_login_at BIGINT, version INTEGER NOT NULL DEFAULT 1)`,
];

/** A hash to verify against when the user does not exist: the answer takes as long either way. */
let dummyHash: Promise<string> | undefined;

export interface NewUser {
  username: string;
  displayName: string;
  role: PersonRole;
  password: string;
  communes?: string[] | null;
}

export interface UserChange {
  displayName?: string;
  role?: PersonRole;
  password?: string;
  communes?: string[] | null;
  disabled?: boolean;
}

const COLUMNS = 'id, username, display_name, role, communes, disabled, created_at, last_login_at, version';

function toUser(r: Row): User {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    communes: r.communes ? (JSON.parse(r.communes) as string[]) : null,
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
    version: Number(r.version),
  };
}

export class UserStore {
  private constructor(
    readonly db: SqlDb,
    private readonly now: () => number,
  ) {}

  static async open(db: SqlDb, now: () => number): Promise<UserStore> {
    await migrateModule(db, 'users', MIGRATIONS);
    return new UserStore(db, now);
  }

  async count(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n);
  }

  async create(u: NewUser, into: SqlDb = this.db): Promise<User> {
    const passwordHash = await hash(u.password);
    const row = await into.get<Row>(
      `INSERT INTO users (username, display_name, role, communes, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [u.username, u.displayName, u.role, u.communes?.length ? JSON.stringify(u.communes) : null, passwordHash, this.now()],
    );
    return toUser(row!);
  }

  async byName(username: string): Promise<User | undefined> {
    const r = await this.db.get<Row>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
    return r && toUser(r);
  }

  async byId(id: number): Promise<User | undefined> {
    const r = await this.db.get<Row>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return r && toUser(r);
  }

  async list(): Promise<User[]> {
    return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).map(toUser);
  }

  /** The user when the password is theirs and they are not disabled; argon2 runs either way. */
  async verifyPassword(username: string, password: string): Promise<{ user: User } | { error: 'unknown' | 'password' | 'disabled' }> {
    const r = await this.db.get<Row & { password_hash: string }>(`SELECT ${COLUMNS}, password_hash FROM users WHERE username = $1`, [username]);
    if (!r) {
      dummyHash ??= hash('not a password of anyone');
      await verify(await dummyHash, password);
      return { error: 'unknown' };
    }
    if (!(await verify(r.password_hash, password))) return { error: 'password' };
    if (Number(r.disabled) === 1) return { error: 'disabled' };
    await this.db.run('UPDATE users SET last_login_at = $1 WHERE id = $2', [this.now(), r.id]);
    return { user: toUser(r) };
  }

  async update(username: string, c: UserChange): Promise<User | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (c.displayName !== undefined) set('display_name', c.displayName);
    if (c.role !== undefined) set('role', c.role);
    if (c.communes !== undefined) set('communes', c.communes?.length ? JSON.stringify(c.communes) : null);
    if (c.disabled !== undefined) set('disabled', c.disabled ? 1 : 0);
    if (c.password !== undefined) set('password_hash', await hash(c.password));
    if (sets.length === 0) return this.byName(username);
    params.push(username);
    const r = await this.db.get<Row>(`UPDATE users SET ${sets.join(', ')}, version = version + 1 WHERE username = $${params.length} RETURNING ${COLUMNS}`, params);
    return r && toUser(r);
  }
}
