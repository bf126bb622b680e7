/**
 * Device credentials for the broker (issue 14): MQTT username = device id, password = a 256-bit random
 * secret (base64url) shown once when issued. Only an HMAC-SHA256 of the secret, keyed by the server's
 * `device-secret` key, is stored: checking one is a hash, not a slow password hash, so thousands of devices
 * reconnecting after a restart cost nothing. The Mosquitto form of the same secret (`$7$` PBKDF2-SHA512, what
 * `mosquitto_passwd` writes) is stored beside it, so `npm run devices -- mosquitto` can write a password file
 * without ever knowing the secrets.
 *
 * Checks go through a bounded cache with a short life: a revoke or rotation in this process is seen at once,
 * one from the CLI (another process) within CACHE_TTL_MS.
 */
import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { migrateModule, type SqlDb } from '../store/sqlDb';
import { serverKey } from './keys';

export const SECRET_BYTES = 32;
export const CACHE_TTL_MS = 2_000;
export const CACHE_MAX = 10_000;
/** mosquitto_passwd's defaults in Mosquitto 2.0: PBKDF2-SHA512, 101 iterations, a 12-byte salt. */
const MOSQUITTO_ITERATIONS = 101;
const MOSQUITTO_SALT_BYTES = 12;

const MIGRATIONS = [
  () => `CREATE TABLE device_credentials (
      device_id TEXT PRIMARY KEY, secret_hmac TEXT NOT NULL, mosquitto_hash TEXT NOT NULL,
      created_at BIGINT NOT NULL, rotated_at BIGINT NOT NULL, revoked_at BIGINT)`,
];

export interface DeviceCredential {
  deviceId: string;
  createdAt: number;
  rotatedAt: number;
  revokedAt: number | null;
}

export type CredentialCheck = 'ok' | 'unknownDevice' | 'badSecret' | 'revoked';

interface Row {
  device_id: string;
  created_at: number;
  rotated_at: number;
  revoked_at: number | null;
}

/** What the cache keeps of a device: the stored HMAC (null when there is no credential) and whether it is revoked. */
interface Cached {
  hmac: Buffer | null;
  revoked: boolean;
  at: number;
}

/** A secret in Mosquitto's password-file form: `$7$<iterations>$<base64 salt>$<base64 PBKDF2-SHA512>`. */
export function mosquittoHash(secret: string, salt: Buffer = randomBytes(MOSQUITTO_SALT_BYTES), iterations = MOSQUITTO_ITERATIONS): string {
  const hash = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export interface DeviceCredentialsOptions {
  cacheMax?: number;
  cacheTtlMs?: number;
}

export class DeviceCredentials {
  private readonly cache = new Map<string, Cached>();
  private readonly cacheMax: number;
  private readonly cacheTtlMs: number;

  private constructor(
    private readonly db: SqlDb,
    private readonly key: Buffer,
    private readonly now: () => number,
    opts: DeviceCredentialsOptions,
  ) {
    this.cacheMax = opts.cacheMax ?? CACHE_MAX;
    this.cacheTtlMs = opts.cacheTtlMs ?? CACHE_TTL_MS;
  }

  static async open(db: SqlDb, now: () => number, opts: DeviceCredentialsOptions = {}): Promise<DeviceCredentials> {
    await migrateModule(db, 'device-credentials', MIGRATIONS);
    return new DeviceCredentials(db, await serverKey(db, 'device-secret'), now, opts);
  }

  /** HMAC-SHA256 of a secret under the server key (also used for the gateway's per-start secret). */
  hmac(secret: string | Buffer): Buffer {
    return createHmac('sha256', this.key).update(secret).digest();
  }

  /** Issues a device's first secret or replaces its secret (also lifting a revoke). The secret is returned once. */
  async issue(deviceId: string): Promise<{ secret: string; rotated: boolean }> {
    const secret = newSecret();
    const now = this.now();
    const rotated = await this.db.tx(async (t) => {
      const had = await t.get<{ device_id: string }>('SELECT device_id FROM device_credentials WHERE device_id = $1', [deviceId]);
      await t.run(
        `INSERT INTO device_credentials (device_id, secret_hmac, mosquitto_hash, created_at, rotated_at, revoked_at) VALUES ($1, $2, $3, $4, $4, NULL)
         ON CONFLICT (device_id) DO UPDATE SET secret_hmac = excluded.secret_hmac, mosquitto_hash = excluded.mosquitto_hash, rotated_at = excluded.rotated_at, revoked_at = NULL`,
        [deviceId, this.hmac(secret).toString('base64'), mosquittoHash(secret), now],
      );
      return had !== undefined;
    });
    this.cache.delete(deviceId);
    return { secret, rotated };
  }

  /** Revokes a device's secret; false when it had none or was already revoked. */
  async revoke(deviceId: string): Promise<boolean> {
    const r = await this.db.run('UPDATE device_credentials SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [this.now(), deviceId]);
    this.cache.delete(deviceId);
    return r.changes > 0;
  }

  async list(): Promise<DeviceCredential[]> {
    const rows = await this.db.all<Row>('SELECT device_id, created_at, rotated_at, revoked_at FROM device_credentials ORDER BY device_id');
    return rows.map((r) => ({
      deviceId: r.device_id,
      createdAt: Number(r.created_at),
      rotatedAt: Number(r.rotated_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  /** Devices with a live secret and its Mosquitto hash, for a password file. */
  async mosquittoEntries(): Promise<{ deviceId: string; hash: string }[]> {
    const rows = await this.db.all<{ device_id: string; mosquitto_hash: string }>(
      'SELECT device_id, mosquitto_hash FROM device_credentials WHERE revoked_at IS NULL ORDER BY device_id',
    );
    return rows.map((r) => ({ deviceId: r.device_id, hash: r.mosquitto_hash }));
  }

  /** Checks a device's secret in constant time against the stored HMAC. */
  async verify(deviceId: string, secret: string | Buffer): Promise<CredentialCheck> {
    const c = await this.lookup(deviceId);
    // The HMAC is computed whatever the outcome, so the answer takes as long for an unknown device.
    const given = this.hmac(secret);
    if (!c.hmac) return 'unknownDevice';
    if (c.revoked) return 'revoked';
    return timingSafeEqual(given, c.hmac) ? 'ok' : 'badSecret';
  }

  /** Devices cached (at most cacheMax). */
  get cacheSize(): number {
    return this.cache.size;
  }

  private async lookup(deviceId: string): Promise<Cached> {
    const now = this.now();
    const hit = this.cache.get(deviceId);
    if (hit && now - hit.at < this.cacheTtlMs) return hit;
    const r = await this.db.get<{ secret_hmac: string; revoked_at: number | null }>('SELECT secret_hmac, revoked_at FROM device_credentials WHERE device_id = $1', [
      deviceId,
    ]);
    const c: Cached = { hmac: r ? Buffer.from(r.secret_hmac, 'base64') : null, revoked: r ? r.revoked_at !== null : false, at: now };
    this.cache.delete(deviceId);
    // The oldest entry goes first (a Map iterates in insertion order).
    if (this.cache.size >= this.cacheMax) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(deviceId, c);
    return c;
  }
}
