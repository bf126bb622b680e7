/**
 * Server secrets kept in the identity database: the session cookie's signing key, the HMAC key for display
 * tokens and device secrets. Generated once (256-bit random) and shared by every instance on the same
 * database, so a session or a device secret stays valid on whichever instance answers.
 */
import { randomBytes } from 'node:crypto';
import { migrateModule, type SqlDb } from '../store/sqlDb';

export type KeyName = 'session' | 'display-token' | 'device-secret';

const MIGRATIONS = [() => 'CREATE TABLE server_keys (name TEXT PRIMARY KEY, key TEXT NOT NULL)'];

/** The key of that name, created on first use (a concurrent first use by two instances keeps one). */
export async function serverKey(db: SqlDb, name: KeyName): Promise<Buffer> {
  await migrateModule(db, 'server-keys', MIGRATIONS);
  await db.run('INSERT INTO server_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64')]);
  const row = await db.get<{ key: string }>('SELECT key FROM server_keys WHERE name = $1', [name]);
  return Buffer.from(row!.key, 'base64');
}
