/**
 * One leader among the instances on one database runs what must run once (escalation timers, retention
 * pruning, rollups): DESIGN.md "Scale path". Elected with a PostgreSQL session advisory lock held on a
 * dedicated connection (a pooled one could be handed back and silently drop it), re-checked every few
 * seconds: a follower tries to take the lock, the leader proves its connection is alive. When the leader's
 * process or connection dies, PostgreSQL releases the lock and a follower takes it at its next check.
 * Without PostgreSQL (SQLite, one instance) the instance simply leads.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log';
import { startRecheck } from './recheck';

export interface LeadershipState {
  leader: boolean;
  /** 'solo' (one instance, no election), 'postgresql' (advisory lock). */
  via: 'solo' | 'postgresql';
  /** Last successful check (epoch ms), and the last error if the last check failed. */
  checkedAt: number | null;
  error: string | null;
}

export interface Leadership {
  isLeader(): boolean;
  /** Called with the new value each time this instance starts or stops leading; returns the unsubscribe. */
  onChange(fn: (leader: boolean) => void): () => void;
  state(): LeadershipState;
  close(): Promise<void>;
}

export function soloLeadership(): Leadership {
  return { isLeader: () => true, onChange: () => () => undefined, state: () => ({ leader: true, via: 'solo', checkedAt: null, error: null }), close: async () => undefined };
}

/** The lock's 64-bit key from a name (the province), as a signed bigint string for pg. */
export function lockKey(name: string): string {
  return createHash('sha256').update(`ioc-leader:${name}`).digest().readBigInt64BE(0).toString();
}

export interface PgLeadershipOptions {
  connectionString: string;
  /** Instances with the same name compete for one lock (the province). */
  name: string;
  recheckMs?: number;
  log: Logger;
  now?: () => number;
  onChange?: (leader: boolean) => void;
}

export async function pgLeadership(o: PgLeadershipOptions): Promise<Leadership> {
  const key = lockKey(o.name);
  const now = o.now ?? Date.now;
  let client: pg.Client | null = null;
  let leader = false;
  let checkedAt: number | null = null;
  let error: string | null = null;

  const listeners = new Set<(leader: boolean) => void>();
  if (o.onChange) listeners.add(o.onChange);
  const setLeader = (v: boolean) => {
    if (v === leader) return;
    leader = v;
    o.log.info({ leader: v }, v ? 'this instance leads' : 'this instance no longer leads');
    for (const fn of listeners) {
      try {
        fn(v);
      } catch (err) {
        o.log.error({ err }, 'leadership listener failed');
      }
    }
  };

  const dropClient = () => {
    const c = client;
    client = null;
    setLeader(false);
    c?.end().catch(() => undefined);
  };

  const check = async () => {
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: o.connectionString, application_name: 'ioc-leader' });
        // A dropped connection loses the lock with it: stop leading at once, reconnect at the next check.
        c.on('error', (err) => {
          error = err.message;
          if (client === c) dropClient();
        });
        await c.connect();
        client = c;
      }
      if (leader) await client.query('SELECT 1');
      else {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        setLeader(r.rows[0]!.ok);
      }
      checkedAt = now();
      error = null;
    } catch (err) {
      error = (err as Error).message;
      dropClient();
    }
  };

  const recheck = await startRecheck(check, o.recheckMs ?? 3_000);
  return {
    isLeader: () => leader,
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    state: () => ({ leader, via: 'postgresql', checkedAt, error }),
    close: async () => {
      await recheck.stop();
      const c = client;
      client = null;
      leader = false;
      // Ending the session releases the lock: a follower takes over at its next check.
      await c?.end().catch(() => undefined);
    },
  };
}
