/**
 * Who resumes a dead instance's ingest session (issue 16: "no accepted reading is lost" when an instance is
 * killed). Each instance's shared subscription lives in a broker session that outlives its connection
 * (server/ingest/mqttSource.ts) and holds what the instance had not acknowledged yet, plus its share of what
 * arrives while it is away. Someone must connect with its client id to get those messages: the instance itself
 * when it restarts, or another instance now.
 *
 * The instances list their sessions in PostgreSQL (`ingest_sessions`) and each holds a session advisory lock
 * named after its own client id on a dedicated connection (as the leader lock, server/cluster/leader.ts). A
 * dead instance's connection drops and PostgreSQL releases its lock; every second each instance tries the
 * locks of the others' sessions, and the one that finds a lock free at two checks in a row adopts that session
 * (`adoptSession`) and keeps the lock while it does. When the owner comes back the broker gives it its session
 * and ends the adopter's connection; the adopter lets the lock go and the owner takes it at its next check. A
 * clean stop removes the instance's row and ends its session, so nobody adopts it.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log';
import type { AdoptedSession } from '../ingest/mqttSource';
import { startRecheck } from './recheck';

export interface IngestSessionsState {
  /** Whether this instance holds its own session's lock (another instance may still be adopting it). */
  own: boolean;
  /** Client ids of the other instances' sessions this instance has adopted now. */
  adopted: string[];
  /** Adoptions since start. */
  adoptions: number;
  checkedAt: number | null;
  error: string | null;
}

export interface IngestSessions {
  state(): IngestSessionsState;
  /** Runs a check now (tests; the timer runs one every `recheckMs`). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface IngestSessionsOptions {
  connectionString: string;
  /** The broker client id of this instance's ingest session. */
  clientId: string;
  instance: string;
  /** Connects as `clientId` and takes its session; null when the broker has no such session any more. */
  adopt(clientId: string): Promise<AdoptedSession | null>;
  recheckMs?: number;
  log: Logger;
}

/**
 * Checks a second: a dead instance's session is adopted 1–2 s after PostgreSQL frees its lock, while the broker
 * holds its share (each check is one small query per other instance).
 */
export const SESSION_RECHECK_MS = 1_000;

/** A session lock's 64-bit key, as a signed bigint string for pg. */
export function sessionLockKey(clientId: string): string {
  return createHash('sha256').update(`ioc-ingest-session:${clientId}`).digest().readBigInt64BE(0).toString();
}

async function tryLock(c: pg.Client, clientId: string): Promise<boolean> {
  return (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [sessionLockKey(clientId)])).rows[0]!.ok;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS ingest_sessions (
  client_id text PRIMARY KEY,
  instance text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now()
)`;

export async function startIngestSessions(o: IngestSessionsOptions): Promise<IngestSessions> {
  let client: pg.Client | null = null;
  let own = false;
  let adoptions = 0;
  let checkedAt: number | null = null;
  let error: string | null = null;
  let closed = false;
  /** Sessions whose lock was free at the last check: adopted if it is still free at the next. */
  const suspects = new Set<string>();
  /** Adopted sessions by client id; null while connecting. */
  const adopted = new Map<string, AdoptedSession | null>();

  const endAdoptions = async () => {
    const all = [...adopted.values()];
    adopted.clear();
    await Promise.all(all.map((a) => a?.close()));
  };

  const dropClient = () => {
    const c = client;
    client = null;
    own = false;
    suspects.clear();
    // The locks went with the connection: another instance may adopt these sessions now; let it.
    void endAdoptions();
    c?.end().catch(() => undefined);
  };

  const unlock = async (c: pg.Client, clientId: string) => {
    if (client === c) await c.query('SELECT pg_advisory_unlock($1::bigint)', [sessionLockKey(clientId)]).catch(() => undefined);
  };

  const tryAdopt = async (c: pg.Client, clientId: string) => {
    if (!(await tryLock(c, clientId))) {
      suspects.delete(clientId);
      return;
    }
    // Free at one check only: its owner may be reconnecting to PostgreSQL (after an outage every instance
    // does). Adopting a live instance's session would only bounce it between them; a dead one waits a check.
    if (!suspects.has(clientId)) {
      suspects.add(clientId);
      await unlock(c, clientId);
      return;
    }
    suspects.delete(clientId);
    adopted.set(clientId, null);
    const a = await o.adopt(clientId).catch((err: unknown) => {
      o.log.warn({ err, clientId }, 'adopting an ingest session failed');
      return null;
    });
    if (!a || closed || client !== c || !adopted.has(clientId)) {
      adopted.delete(clientId);
      await a?.close();
      await unlock(c, clientId);
      return;
    }
    adopted.set(clientId, a);
    adoptions++;
    void a.ended.then(async () => {
      if (adopted.get(clientId) !== a) return;
      adopted.delete(clientId);
      await unlock(c, clientId);
    });
  };

  const check = async () => {
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: o.connectionString, application_name: `ioc-ingest-sessions:${o.instance}` });
        c.on('error', (err) => {
          error = err.message;
          if (client === c) dropClient();
        });
        await c.connect();
        await c.query('BEGIN');
        await c.query("SELECT pg_advisory_xact_lock(hashtext('ioc-schema-migrations'))");
        await c.query(SCHEMA);
        await c.query('COMMIT');
        // The lock before the row: another instance that sees the row must find the lock held.
        own = await tryLock(c, o.clientId);
        await c.query('INSERT INTO ingest_sessions (client_id, instance) VALUES ($1, $2) ON CONFLICT (client_id) DO UPDATE SET instance = EXCLUDED.instance', [o.clientId, o.instance]);
        client = c;
      }
      const c = client;
      // Not got at first: an instance was adopting this session; the broker has ended that since we connected.
      if (!own) own = await tryLock(c, o.clientId);
      const others = await c.query<{ client_id: string }>('SELECT client_id FROM ingest_sessions WHERE client_id <> $1 ORDER BY client_id', [o.clientId]);
      for (const { client_id } of others.rows) if (!adopted.has(client_id) && !closed) await tryAdopt(c, client_id);
      checkedAt = Date.now();
      error = null;
    } catch (err) {
      error = (err as Error).message;
      dropClient();
    }
  };

  const recheck = await startRecheck(check, o.recheckMs ?? SESSION_RECHECK_MS);
  return {
    state: () => ({ own, adopted: [...adopted.entries()].filter(([, a]) => a !== null).map(([id]) => id), adoptions, checkedAt, error }),
    check: () => recheck.run(),
    close: async () => {
      closed = true;
      await recheck.stop();
      await endAdoptions();
      const c = client;
      client = null;
      // A clean stop: this instance's session ends with its connection (mqttSource), nobody is to adopt it.
      await c?.query('DELETE FROM ingest_sessions WHERE client_id = $1', [o.clientId]).catch(() => undefined);
      await c?.end().catch(() => undefined);
    },
  };
}
